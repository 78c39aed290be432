<?php
/**
 * Uninstall: the shim keeps one option of its own (the "run migrate" notice's last error) and one cron
 * event (alert delivery), both removed here.
 *
 * Zoom settings, connections, meetings and queued jobs live in the sidecar's tables. They are left
 * alone on purpose: dropping them would orphan meetings customers already hold links to. Remove
 * them with the sidecar's own tools once its meetings are no longer needed.
 */

if ( ! defined( 'WP_UNINSTALL_PLUGIN' ) ) {
	exit;
}

delete_option( 'bkz_jobs_table_error' );
wp_clear_scheduled_hook( 'bkz_deliver_alerts' );
