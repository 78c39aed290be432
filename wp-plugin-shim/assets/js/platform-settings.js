/*
 * SaaS Settings -> Integrations -> Zoom: saves through booknetic.ajax (Booknetic SaaS's Route AJAX,
 * module zoom_platform), then draws the screen again with the outcome. SaaS's booknetic.js has no
 * addAction hooks: a refusal shows as Booknetic's own error toast.
 */
(function ($) {
	"use strict";

	var area = $(".bkz-platform-settings").last();

	area.on("click", "#bkz_save_platform", function () {
		booknetic.ajax("zoom_platform.save_platform", {
			bkz_nonce: area.data("nonce"),
			enabled: $("#bkz_platform_enabled").is(":checked") ? "on" : "off",
			method: $("#bkz_method").val(),
			client_id: $("#bkz_client_id").val(),
			client_secret: $("#bkz_client_secret").val(),
			webhook_secret_token: $("#bkz_webhook_secret_token").val()
		}, function (result) {
			booknetic.toast(result["message"], "success");
			booknetic.ajax("zoom_platform.platform_view", {message: result["message"]}, function (view) {
				$(".settings-main-container").html(booknetic.htmlspecialchars_decode(view["html"]));
			});
		});
	});
})(jQuery);
