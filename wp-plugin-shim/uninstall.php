<?php
/**
 * Uninstall: the shim keeps no data of its own, so there is nothing to delete here.
 *
 * Zoom settings, connections, meetings and queued jobs live in the sidecar's tables. They are left
 * alone on purpose: dropping them would orphan meetings customers already hold links to. Remove
 * them with the sidecar's own tools once its meetings are no longer needed.
 */

if ( ! defined( 'WP_UNINSTALL_PLUGIN' ) ) {
	exit;
}
