/*
 * The Workflows list (Workflow/assets/js/workflow.js): each row gets an Edit button that opens the
 * workflow's edit page.
 */
jQuery(function ($) {
	"use strict";
	$("#fs_data_table_div tr").each(function () {
		$(this).children("td:last-child").prepend("<button type='button' class='edit_action_btn'>Edit</button>");
	});
	$(document).on("click", "#fs_data_table_div .edit_action_btn", function () {
		location.href = "admin.php?page=booknetic&module=workflow&action=edit&workflow_id=" + $(this).closest("tr").data("id");
	});
});
