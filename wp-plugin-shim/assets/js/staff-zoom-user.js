/*
 * Edit Staff modal: Booknetic's save posts only its own fields, so the "Zoom user" choice joins them
 * through its ajax filter; the add-on's save filter forwards it to the sidecar.
 */
(function ($) {
	"use strict";

	booknetic.addFilter("ajax_staff.save_staff", function (params) {
		var select = $("#bkz_zoom_user");
		if (select.length) {
			params.append("zoom_user", select.val());
		}
		return params;
	}, "bkz_zoom_user");

	booknetic.addAction("ajax_after_save_staff_success", function (b, params, result) {
		if (result && result.bkz_warning) {
			booknetic.toast(result.bkz_warning, "unsuccess");
		}
	}, "bkz_zoom_user");
})(jQuery);
