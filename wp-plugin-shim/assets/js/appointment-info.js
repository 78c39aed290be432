/*
 * Appointment info modal: the START MEETING button (drawn with the modal) goes into its footer,
 * first, as Booknetic's own Zoom add-on places it.
 */
(function ($) {
	"use strict";

	var holder = $(".bkz-start-meeting-holder").last();
	var footer = holder.closest(".fs-modal").find(".fs-modal-footer").last();
	if (footer.length) {
		footer.prepend(holder.children().first());
	}
	holder.remove();
})(jQuery);
