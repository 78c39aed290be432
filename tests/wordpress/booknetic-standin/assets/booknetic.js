/*
 * Booknetic's backend JS API (app/Backend/Base/assets/js/booknetic.js) as add-ons use it: ajax()
 * (module.action posted to ajaxurl, params passed through the ajax_{module}.{action} filter, then the
 * ajax_after_{action}_success|unsuccess actions), addFilter/doFilter/addAction/doAction with its key
 * rules, loadModal() (also from any [data-load-modal] button), toast(), htmlspecialchars_decode(); plus
 * the list and modal clicks of the stand-in's screens. Written for the stand-in; the behaviour follows
 * the real file.
 */
var booknetic = {
	hooks: {"ajax": {}},

	addFilter: function (key, fn, fnId) {
		key = key.toLowerCase();
		if (!this.hooks.hasOwnProperty(key)) { this.hooks[key] = {}; }
		if (fnId === undefined || fnId === null) { fnId = Math.random().toString(36).substring(2, 15); }
		this.hooks[key][fnId] = fn;
		return fnId;
	},

	doFilter: function (key, params) {
		var extra = Array.prototype.slice.call(arguments, 2);
		key = key.toLowerCase();
		if (this.hooks.hasOwnProperty(key)) {
			var keys = key.indexOf("_") > -1 ? [key.split("_")[0], key] : [key];
			for (var k = 0; k < keys.length; k++) {
				for (var id in this.hooks[keys[k]]) {
					var fn = this.hooks[keys[k]][id];
					params = typeof params === "undefined" ? fn.apply(null, extra) : fn.apply(null, [params].concat(extra));
				}
			}
		}
		return params;
	},

	addAction: function (key, fn, fnId) { return this.addFilter(key, fn, fnId); },

	doAction: function (key) { this.doFilter.apply(this, [key, undefined].concat(Array.prototype.slice.call(arguments, 1))); },

	toast: function (title, type) {
		jQuery("#fs-toaster").remove();
		jQuery("body").append(jQuery("<div id='fs-toaster'></div>").addClass("toast-" + type).text(title));
	},

	loading: function () {},

	htmlspecialchars_decode: function (string) {
		// Booknetic's own decodes no single quotes (ENT_NOQUOTES-like); add-on views must not rely on it.
		return String(string).replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, "\"").replace(/&amp;/g, "&");
	},

	ajaxResultCheck: function (res) {
		if (typeof res !== "object") {
			try { res = JSON.parse(res); } catch (e) { this.toast("Error!", "unsuccess"); return false; }
		}
		if (res.status === "ok") { return true; }
		this.toast(res.error_msg || "Error!", "unsuccess");
		return false;
	},

	ajax: function (url, params, func) {
		var parts = url.split("."), module = parts.length === 1 ? currentModule : parts[0], action = parts.length === 1 ? parts[0] : parts[1];
		if (params instanceof FormData) {
			params.append("module", module);
			params.append("action", action);
		} else {
			params.module = module;
			params.action = action;
		}
		params = booknetic.doFilter("ajax_" + module + "." + action, params);
		var request = {url: ajaxurl, method: "POST", data: params, dataType: "text", success: function (result) {
			if (booknetic.ajaxResultCheck(result)) {
				result = JSON.parse(result);
				if (typeof func === "function") { func(result); }
				if (booknetic.doAction) { booknetic.doAction("ajax_after_" + action + "_success", booknetic, params, result); }
			} else if (booknetic.doAction) {
				booknetic.doAction("ajax_after_" + action + "_unsuccess", booknetic, params, result);
			}
		}};
		if (params instanceof FormData) { request.processData = false; request.contentType = false; }
		jQuery.ajax(request);
	},

	loadModal: function (url, postParams) {
		var parts = url.split("."), module = parts.length === 1 ? currentModule : parts[0], action = parts.length === 1 ? parts[0] : parts[1];
		postParams.module = module;
		postParams.action = action;
		var modal = jQuery("<div class='fs-modal'><div class='fs-modal-content'></div></div>").appendTo("body");
		modal.data("postParams", postParams);
		jQuery.ajax({url: ajaxurl, method: "POST", data: postParams, dataType: "text", success: function (result) {
			result = JSON.parse(result);
			if (result.status === "ok" && typeof result.html !== "undefined") {
				modal.find(".fs-modal-content").html(booknetic.htmlspecialchars_decode(result.html));
			} else {
				booknetic.toast(result.error_msg || "Error!", "unsuccess");
			}
		}});
	},

	modalHide: function (modal) { modal.remove(); }
};

jQuery(function ($) {
	"use strict";
	$(document).on("click", ".datatable_action_btn", function () {
		var id = $(this).closest("tr").data("id"), action = $(this).data("action");
		booknetic.loadModal(action === "info" ? "info" : "add_new", {id: id});
	}).on("click", "[data-load-modal]", function () {
		var parameters = {};
		$.each(this.attributes, function () {
			if (this.name.indexOf("data-parameter-") === 0) { parameters[this.name.substr(15)] = this.value; }
		});
		booknetic.loadModal($(this).attr("data-load-modal"), parameters);
	}).on("click", "[data-dismiss='modal']", function () {
		booknetic.modalHide($(this).closest(".fs-modal"));
	}).on("click", "#addStaffSave, #addServiceSave", function () {
		var modal = $(this).closest(".fs-modal"), data = new FormData();
		data.append("id", modal.data("postParams").id || 0);
		data.append("name", modal.find("#input_name").val());
		booknetic.ajax(this.id === "addStaffSave" ? "save_staff" : "save_service", data, function () {
			booknetic.modalHide(modal);
			booknetic.toast("Saved successfully!", "success");
		});
	}).on("click", "#addPlanSave", function () {
		var modal = $(this).closest(".fs-modal"), permissions = {};
		modal.find("input.permission").each(function () { permissions[$(this).data("permission")] = this.checked ? "on" : "off"; });
		booknetic.ajax("save_plan", {id: modal.find("#plan_id").val(), capabilities: JSON.stringify(permissions)}, function () {
			booknetic.modalHide(modal);
			booknetic.toast("Saved successfully!", "success");
		});
	});
});
