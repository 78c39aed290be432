/*
 * SaaS Settings -> Integrations -> Zoom: saves through booknetic.ajax (Booknetic SaaS's Route AJAX,
 * module zoom_platform), then draws the screen again with the outcome.
 */
(function ($) {
	"use strict";

	var area = $(".bkz-platform-settings").last();

	booknetic.addAction("ajax_after_save_platform_unsuccess", function (b, params, result) {
		var answer = result;
		if (typeof answer === "string") {
			try { answer = JSON.parse(answer); } catch (e) { answer = {}; }
		}
		area.find(".bkz-message").attr("hidden", true);
		area.find(".bkz-error").text(answer && answer.error_msg ? answer.error_msg : "").attr("hidden", false);
	}, "bkz_save_platform");

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
