/*
 * Booknetic's settings screen (Settings/assets/js/settings.js): a menu card opens its first sub item;
 * a sub item's view ("route.action") comes from booknetic.ajax into .settings-main-container; the
 * page's `setting` parameter opens a sub item directly (how add-ons send users back to their screen).
 */
jQuery(function ($) {
	"use strict";
	function open(view) {
		booknetic.ajax(view, {}, function (result) {
			$(".settings-main-container").html(booknetic.htmlspecialchars_decode(result.html));
		});
	}
	$(document).on("click", ".settings-chart", function () {
		$(".settings_menu[data-view='" + $(this).data("view") + "'] .settings_submenus > div").first().click();
	}).on("click", ".settings_submenus > div", function () {
		if ($(this).hasClass("selected_sub_menu")) {
			return;
		}
		$(".selected_sub_menu").removeClass("selected_sub_menu");
		$(this).addClass("selected_sub_menu");
		open($(this).data("view"));
	});
	var goTo = $("#settingsJS").data("goto");
	if (goTo && $(".settings_submenus div[data-view='" + goTo + "']").length) {
		$(".settings_submenus div[data-view='" + goTo + "']").click();
	}
});
