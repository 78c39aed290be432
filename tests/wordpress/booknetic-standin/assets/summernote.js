/*
 * booknetic.summernote(node, toolbar, keywordList) (Base/assets/js/summernote.js) reduced to the
 * "Keywords" picker it adds to the editor's toolbar when keywordList ({code: name}) is not empty:
 * summernote's button group markup, one li per keyword (its name, then {code}), and the search box
 * that hides the items whose text does not match. The text editor itself is left out.
 */
booknetic.summernote = function (node, toolbar, keywordList) {
	"use strict";
	var $ = jQuery, toolbarNode = $("<div class='note-toolbar'></div>");
	node.hide().after($("<div class='note-editor'></div>").append(toolbarNode));
	if (Object.keys(keywordList).length === 0) {
		return;
	}
	var list = $("<ul></ul>");
	Object.keys(keywordList).forEach(function (code) {
		var item = $("<li><a href='#'><span></span><span></span></a></li>").attr({"data-code": code, "data-title": keywordList[code]});
		item.find("span").first().text(keywordList[code]).next().text("{" + code + "}");
		list.append(item);
	});
	var search = $("<div class='bkntc_keywords_search'><input autocomplete='off' type='text' placeholder='Search...'></div>");
	var group = $("<div class='note-btn-group'><button type='button' class='note-btn dropdown-toggle'>Keywords</button></div>")
		.append($("<div class='note-dropdown-menu bkntc_keywords_dropdown'></div>").append(search, list));
	toolbarNode.append(group);
	group.children(".dropdown-toggle").on("click", function () { group.toggleClass("open"); });
	search.find("input").on("input", function () {
		var pattern = new RegExp($(this).val(), "i");
		list.children("li").each(function () { $(this).toggle(pattern.test($(this).text())); });
	});
};
