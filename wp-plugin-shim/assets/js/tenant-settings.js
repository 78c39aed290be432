/*
 * Settings -> Integration with Zoom: loaded with the screen each time Booknetic's settings page shows
 * it. Every button calls the add-on's actions through booknetic.ajax (Booknetic's Route AJAX,
 * module zoom_settings), then draws the screen again with the outcome.
 */
(function ($) {
	"use strict";

	var area = $(".bkz-tenant-settings").last();
	var nonce = area.data("nonce");

	function reload(message) {
		booknetic.ajax("zoom_settings.settings_view", {message: message || ""}, function (result) {
			$(".settings-main-container").html(booknetic.htmlspecialchars_decode(result["html"]));
		});
	}

	function showError(result) {
		var answer = result;
		if (typeof answer === "string") {
			try { answer = JSON.parse(answer); } catch (e) { answer = {}; }
		}
		var field = answer && answer.field ? String(answer.field) : "";
		area.find(".bkz-message").attr("hidden", true);
		area.find(".bkz-error").attr("data-field", field).text(answer && answer.error_msg ? answer.error_msg : "").attr("hidden", false);
		area.find("[data-field]").filter("input").attr("aria-invalid", null);
		area.find(".bkz-field-error").attr("hidden", true).text("");
		if (field) {
			area.find("input[data-field='" + field + "']").attr("aria-invalid", "true");
			area.find(".bkz-field-error[data-field='" + field + "']").text(answer.error_msg).attr("hidden", false);
		}
	}

	// Booknetic toasts the error itself; this also shows it on the screen, next to the field Zoom named.
	["connect", "save_credentials", "disconnect", "save_settings"].forEach(function (action) {
		booknetic.addAction("ajax_after_" + action + "_unsuccess", function (b, params, result) {
			if (params && params.module === "zoom_settings") {
				showError(result);
			}
		}, "bkz_" + action);
	});

	// Zoom's redirect back to this screen carries the sidecar's message once.
	var fromZoom = new URLSearchParams(window.location.search).get("bkz_msg");
	if (fromZoom && !window.bkzShownRedirectMessage) {
		window.bkzShownRedirectMessage = true;
		area.find(".bkz-message").text(fromZoom).attr("hidden", false);
	}

	area.on("click", "#bkz_connect", function () {
		booknetic.ajax("zoom_settings.connect", {bkz_nonce: nonce}, function (result) {
			window.location.href = result["authorize_url"];
		});
	}).on("click", "#bkz_save_credentials", function () {
		booknetic.ajax("zoom_settings.save_credentials", {
			bkz_nonce: nonce,
			account_id: $("#bkz_account_id").val(),
			client_id: $("#bkz_client_id").val(),
			client_secret: $("#bkz_client_secret").val()
		}, function (result) {
			reload(result["message"]);
		});
	}).on("click", "#bkz_disconnect", function () {
		booknetic.ajax("zoom_settings.disconnect", {bkz_nonce: nonce}, function (result) {
			reload(result["message"]);
		});
	}).on("change", "#bkz_use_host_defaults", function () {
		// The host's Zoom defaults: no options of ours are sent, so none are shown.
		area.find(".bkz-meeting-options").attr("hidden", $(this).is(":checked"));
	}).on("click", "#bkz_save_settings", function () {
		var onOff = function (id) { return $(id).is(":checked") ? "on" : "off"; };
		var params = {
			bkz_nonce: nonce,
			enabled: onOff("#bkz_enabled"),
			meeting_title: $("#bkz_meeting_title").val(),
			meeting_agenda: $("#bkz_meeting_agenda").val(),
			random_password: onOff("#bkz_random_password"),
			use_host_defaults: onOff("#bkz_use_host_defaults"),
			auto_recording: $("#bkz_auto_recording").val(),
			meetings_for: $("#bkz_meetings_for").val()
		};
		area.find(".bkz-option").each(function () {
			params[$(this).data("option")] = onOff(this);
		});
		booknetic.ajax("zoom_settings.save_settings", params, function (result) {
			booknetic.toast(result["message"], "success");
			reload(result["message"]);
		});
	});
})(jQuery);
