<?php
/**
 * Plugin Name:       Booknetic Zoom (sidecar shim)
 * Description:       Zoom for Booknetic SaaS tenants, as a Booknetic add-on: its screens live in Booknetic's own panel and forward to the booknetic-zoom sidecar over signed HTTP.
 * Version:           0.2.0
 * Requires at least: 6.1
 * Requires PHP:      8.0
 * License:           GPL-2.0-or-later
 * Text Domain:       booknetic-zoom
 * Domain Path:       /languages
 *
 * Configuration (wp-config.php):
 *   define( 'BKZ_SIDECAR_URL', 'http://127.0.0.1:8790' );   // the sidecar's base URL ([sidecar] bind), no path
 *   define( 'BKZ_SHARED_SECRET', '...' );                  // [sidecar] shim_shared_secret
 * With WP_HTTP_BLOCK_EXTERNAL on, a sidecar on another host must be listed in WP_ACCESSIBLE_HOSTS.
 */

if ( ! defined( 'WPINC' ) ) {
	die;
}

define( 'BKZ_VERSION', '0.2.0' );
define( 'BKZ_PLUGIN_FILE', __FILE__ );
define( 'BKZ_PLUGIN_DIR', plugin_dir_path( __FILE__ ) );

require_once BKZ_PLUGIN_DIR . 'includes/class-bkz-client.php';
require_once BKZ_PLUGIN_DIR . 'includes/class-bkz-tenant.php';
require_once BKZ_PLUGIN_DIR . 'includes/class-bkz-jobs.php';
require_once BKZ_PLUGIN_DIR . 'includes/class-bkz-notices.php';

add_action(
	'init',
	function () {
		load_plugin_textdomain( 'booknetic-zoom', false, dirname( plugin_basename( BKZ_PLUGIN_FILE ) ) . '/languages' );
	}
);

/*
 * Booknetic loads its add-ons on plugins_loaded through this filter; the add-on class extends
 * Booknetic's AddonLoader, so it is only defined once Booknetic is there.
 */
add_filter(
	'bkntc_addons_load',
	function ( $addons ) {
		require_once BKZ_PLUGIN_DIR . 'includes/class-bkz-addon.php';
		BKZ_Addon::skip_store_migrations();
		$addons['booknetic-zoom'] = new BKZ_Addon();
		return $addons;
	}
);

add_action( 'admin_notices', array( 'BKZ_Notices', 'render' ) );
