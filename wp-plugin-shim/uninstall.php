<?php
/**
 * Uninstall: the shim keeps two options (the "run migrate" notice's last error, and the version Booknetic
 * takes as our migrated one) and one cron event (alert delivery), all removed here.
 *
 * Zoom settings, connections, meetings and queued jobs live in the sidecar's tables. They are left
 * alone on purpose: dropping them would orphan meetings customers already hold links to. Remove
 * them with the sidecar's own tools once its meetings are no longer needed.
 */

if ( ! defined( 'WP_UNINSTALL_PLUGIN' ) ) {
	exit;
}

delete_option( 'bkz_jobs_table_error' );
delete_option( 'bkntc_addon_' . basename( __DIR__ ) . '_version' );  // Booknetic's slug: the plugin's folder
wp_clear_scheduled_hook( 'bkz_deliver_alerts' );
