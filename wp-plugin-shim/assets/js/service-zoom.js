/*
 * Edit Service modal: the "Activate Zoom for the service" toggle joins Booknetic's save through its
 * ajax filter; the add-on's save filter forwards it to the sidecar.
 */
(function ($) {
	"use strict";

	booknetic.addFilter("ajax_services.save_service", function (params) {
		var toggle = $("#bkz_activate_zoom");
		if (toggle.length) {
			params.append("activate_zoom", toggle.is(":checked") ? "1" : "0");
		}
		return params;
	}, "bkz_activate_zoom");

	booknetic.addAction("ajax_after_save_service_success", function (b, params, result) {
		if (result && result.bkz_warning) {
			booknetic.toast(result.bkz_warning, "unsuccess");
		}
	}, "bkz_activate_zoom");
})(jQuery);
