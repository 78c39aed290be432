<?php
/**
 * Wires the shim into WordPress and Booknetic: every hook the plugin uses is listed here.
 */

if ( ! defined( 'WPINC' ) ) {
	die;
}

require_once BKZ_PLUGIN_DIR . 'includes/class-bkz-client.php';
require_once BKZ_PLUGIN_DIR . 'includes/class-bkz-tenant.php';
require_once BKZ_PLUGIN_DIR . 'includes/class-bkz-jobs.php';
require_once BKZ_PLUGIN_DIR . 'includes/class-bkz-public.php';
require_once BKZ_PLUGIN_DIR . 'includes/class-bkz-booknetic.php';
require_once BKZ_PLUGIN_DIR . 'includes/class-bkz-admin.php';
require_once BKZ_PLUGIN_DIR . 'includes/class-bkz-actions.php';

class BKZ_Plugin {

	/**
	 * Register every action and filter of the plugin.
	 */
	public function register_hooks() {
		$jobs      = new BKZ_Jobs();
		$public    = new BKZ_Public();
		$booknetic = new BKZ_Booknetic();
		$admin     = new BKZ_Admin();
		$actions   = new BKZ_Actions();

		// Appointments: every mutation becomes one sync job. Priority 9, where Booknetic's own Zoom
		// add-on listens, so calendar integrations at 10 run after us.
		add_action( 'bkntc_appointment_before_mutation', array( $jobs, 'before_mutation' ), 9, 1 );
		add_action( 'bkntc_appointment_after_mutation', array( $jobs, 'after_mutation' ), 9, 1 );

		// Booknetic's staff and service forms (its generic bkntc_after_request_{module}_{action}).
		add_filter( 'bkntc_after_request_staff_save_staff', array( $booknetic, 'after_save_staff' ) );
		add_filter( 'bkntc_after_request_services_save_service', array( $booknetic, 'after_save_service' ) );

		// Shortcodes, once Booknetic has loaded its ShortCodeService.
		add_action( 'init', array( $booknetic, 'register_shortcodes' ), 20 );

		// Public URLs: OAuth redirect URI, webhook, stable links. Early, before themes render.
		add_action( 'init', array( $public, 'dispatch' ), 1 );

		// wp-admin screens and their form handlers.
		add_action( 'admin_menu', array( $admin, 'menus' ) );
		add_action( 'admin_post_bkz_save_platform', array( $actions, 'save_platform' ) );
		add_action( 'admin_post_bkz_connect', array( $actions, 'connect' ) );
		add_action( 'admin_post_bkz_save_credentials', array( $actions, 'save_credentials' ) );
		add_action( 'admin_post_bkz_disconnect', array( $actions, 'disconnect' ) );
		add_action( 'admin_post_bkz_save_tenant_settings', array( $actions, 'save_tenant_settings' ) );
		add_action( 'admin_post_bkz_save_staff_zoom_user', array( $actions, 'save_staff_zoom_user' ) );
		add_action( 'admin_post_bkz_save_service_zoom', array( $actions, 'save_service_zoom' ) );
	}
}
