<?php
/**
 * The Booknetic add-on: every place the shim plugs into Booknetic is registered here, at the point
 * of Booknetic's life cycle where Booknetic's own Zoom add-on registers it (booknetic.md section 6).
 */

if ( ! defined( 'WPINC' ) ) {
	die;
}

use BookneticApp\Providers\Core\Capabilities;
use BookneticApp\Providers\Helpers\Helper;
use BookneticApp\Providers\UI\SettingsMenuUI;
use BookneticApp\Providers\UI\TabUI;

require_once BKZ_PLUGIN_DIR . 'includes/class-bkz-screen.php';
require_once BKZ_PLUGIN_DIR . 'includes/class-bkz-shortcodes.php';
require_once BKZ_PLUGIN_DIR . 'includes/class-bkz-public.php';
require_once BKZ_PLUGIN_DIR . 'includes/class-bkz-tenant-ajax.php';
require_once BKZ_PLUGIN_DIR . 'includes/class-bkz-platform-ajax.php';
require_once BKZ_PLUGIN_DIR . 'includes/class-bkz-panels.php';
require_once BKZ_PLUGIN_DIR . 'includes/class-bkz-alerts.php';

class BKZ_Addon extends \BookneticApp\Providers\Core\AddonLoader {

	/** Plan capability (the Plans modal's switch) and user capability (who may change the Zoom settings). */
	const PLAN_CAPABILITY     = 'zoom';
	const SETTINGS_CAPABILITY = 'zoom_settings';

	/**
	 * Booknetic reads an add-on's version from its init.php; ours is in booknetic-zoom.php.
	 */
	public static function getVersion() {
		return BKZ_VERSION;
	}

	/**
	 * Booknetic asks booknetic.com for an add-on's database migrations on the first request after the
	 * add-on's version changes (Backend::updateAddonsDB, on init), posting the site's domain with no
	 * timeout, so a server that cannot reach booknetic.com waits there. Our tables come from the
	 * sidecar's `booknetic-zoom migrate`: recording our version as Booknetic's "migrated" one before
	 * init spares that call. Runs on plugins_loaded, when Booknetic loads its add-ons.
	 */
	public static function skip_store_migrations() {
		$option = 'bkntc_addon_' . static::getAddonSlug() . '_version';
		if ( get_option( $option ) !== BKZ_VERSION ) {
			update_option( $option, BKZ_VERSION );
		}
	}

	/**
	 * bkntc_init (every request): capabilities, the booking hooks, the shortcodes where the plan has Zoom, and
	 * the failure alerts.
	 */
	public function init() {
		Capabilities::registerTenantCapability( self::PLAN_CAPABILITY, bkntc__( 'Zoom integration' ) );
		Capabilities::register( self::SETTINGS_CAPABILITY, bkntc__( 'Zoom settings' ), 'settings' );

		// Every mutation becomes one sync job. Priority 9, where Booknetic's own Zoom add-on listens, so
		// calendar integrations at 10 run after us. The sidecar decides whether Zoom applies.
		$jobs = new BKZ_Jobs();
		add_action( 'bkntc_appointment_before_mutation', array( $jobs, 'before_mutation' ), 9, 1 );
		add_action( 'bkntc_appointment_after_mutation', array( $jobs, 'after_mutation' ), 9, 1 );

		if ( Capabilities::tenantCan( self::PLAN_CAPABILITY ) ) {
			( new BKZ_Shortcodes() )->register( \BookneticApp\Config::getShortCodeService() );
			BKZ_Alerts::register_events();  // the workflow editor offers them
		}
		// Failure alerts for tenants, delivered on WordPress cron (which runs without a tenant).
		add_action( BKZ_Alerts::CRON_HOOK, array( 'BKZ_Alerts', 'deliver' ) );
		BKZ_Alerts::schedule();
	}

	/**
	 * bkntc_backend (the tenant's panel, admin.php?page=booknetic): Settings -> Integration with Zoom,
	 * the Edit Staff and Edit Service modals, the appointment info modal.
	 */
	public function initBackend() {
		$plan_has_zoom = ! Helper::isSaaSVersion() || Capabilities::tenantCan( self::PLAN_CAPABILITY );
		if ( ! $plan_has_zoom ) {
			return;
		}
		\BookneticApp\Providers\Core\Route::post( BKZ_Tenant_Ajax::MODULE, BKZ_Tenant_Ajax::class, BKZ_Tenant_Ajax::ACTIONS );
		if ( Capabilities::userCan( self::SETTINGS_CAPABILITY ) ) {
			SettingsMenuUI::get( 'integrations' )
				->subItem( BKZ_Tenant_Ajax::VIEW, BKZ_Tenant_Ajax::MODULE )
				->setTitle( bkntc__( 'Integration with Zoom' ) )
				->setPriority( 10 );
		}

		$panels = new BKZ_Panels();
		TabUI::get( 'staff_add' )->item( 'details' )->addView( BKZ_PLUGIN_DIR . 'views/staff-zoom-user.php', array( $panels, 'staff_view_data' ), 50 );
		TabUI::get( 'services_add' )->item( 'details' )->addView( BKZ_PLUGIN_DIR . 'views/service-zoom.php', array( $panels, 'service_view_data' ), 50 );
		add_filter( 'bkntc_after_request_staff_save_staff', array( $panels, 'after_save_staff' ) );
		add_filter( 'bkntc_after_request_services_save_service', array( $panels, 'after_save_service' ) );
		add_action( 'bkntc_enqueue_assets', array( $panels, 'enqueue_assets' ), 10, 3 );
	}

	/**
	 * bkntc_frontend (every request outside wp-admin): the public URLs and the customer panel's button.
	 */
	public function initFrontend() {
		( new BKZ_Public() )->dispatch();
		add_action( 'bkntc_customer_panel_appointment_actions', array( new BKZ_Panels(), 'customer_panel_button' ), 10, 1 );
	}

	/**
	 * bkntcsaas_backend (the super admin's panel, admin.php?page=booknetic-saas): SaaS Settings ->
	 * Integrations -> Zoom.
	 */
	public function initSaaSBackend() {
		\BookneticSaaS\Providers\Core\Route::post( BKZ_Platform_Ajax::MODULE, BKZ_Platform_Ajax::class, BKZ_Platform_Ajax::ACTIONS );
		\BookneticSaaS\Providers\UI\SettingsMenuUI::get( 'integrations' )
			->subItem( BKZ_Platform_Ajax::VIEW, BKZ_Platform_Ajax::MODULE )
			->setTitle( bkntcsaas__( 'Zoom' ) )
			->setPriority( 10 );
	}
}
