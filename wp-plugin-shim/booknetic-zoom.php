<?php
/**
 * Plugin Name:       Booknetic Zoom (sidecar shim)
 * Description:       Zoom for Booknetic SaaS tenants. A thin shim: screens, hooks and public URLs forward to the booknetic-zoom sidecar over signed HTTP.
 * Version:           0.1.0
 * Requires at least: 6.1
 * Requires PHP:      8.0
 * License:           GPL-2.0-or-later
 * Text Domain:       booknetic-zoom
 *
 * Configuration (wp-config.php):
 *   define( 'BKZ_SIDECAR_URL', 'http://127.0.0.1:8765' );   // the sidecar's base URL, no path
 *   define( 'BKZ_SHARED_SECRET', '...' );                  // [sidecar] shim_shared_secret
 * With WP_HTTP_BLOCK_EXTERNAL on, a sidecar on another host must be listed in WP_ACCESSIBLE_HOSTS.
 */

if ( ! defined( 'WPINC' ) ) {
	die;
}

define( 'BKZ_VERSION', '0.1.0' );
define( 'BKZ_PLUGIN_DIR', plugin_dir_path( __FILE__ ) );

require_once BKZ_PLUGIN_DIR . 'includes/class-bkz-plugin.php';

( new BKZ_Plugin() )->register_hooks();
