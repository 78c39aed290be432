<?php
/**
 * The wp-admin screens: platform settings, the tenant's "Integration with Zoom", staff Zoom users
 * and service toggles. Each screen renders what the sidecar answers; forms post to BKZ_Actions.
 */

if ( ! defined( 'WPINC' ) ) {
	die;
}

class BKZ_Admin {

	/** WordPress capability a tenant user needs for the tenant screens (tenants get `read`). */
	const TENANT_CAP = 'read';

	const STATUS_TIMEOUT = 2;

	/** @var array|WP_Error|null GET /v1/tenant/zoom, fetched once per request. */
	private $status = null;

	/**
	 * Add the menus: platform settings for admins; the tenant screens only when the plan has Zoom.
	 */
	public function menus() {
		add_menu_page( __( 'Zoom (platform)', 'booknetic-zoom' ), __( 'Zoom (platform)', 'booknetic-zoom' ), 'manage_options', 'bkz-platform', array( $this, 'platform_screen' ), 'dashicons-video-alt2' );
		if ( null === BKZ_Tenant::current() ) {
			return;
		}
		$status = $this->tenant_status();
		// An unreachable sidecar keeps the menu, so the screen can say what is wrong.
		if ( ! is_wp_error( $status ) && empty( $status['available'] ) ) {
			return;
		}
		add_menu_page( __( 'Integration with Zoom', 'booknetic-zoom' ), __( 'Integration with Zoom', 'booknetic-zoom' ), self::TENANT_CAP, 'bkz-tenant', array( $this, 'tenant_screen' ), 'dashicons-video-alt2' );
		add_submenu_page( 'bkz-tenant', __( 'Zoom users of staff', 'booknetic-zoom' ), __( 'Staff', 'booknetic-zoom' ), self::TENANT_CAP, 'bkz-staff', array( $this, 'staff_screen' ) );
		add_submenu_page( 'bkz-tenant', __( 'Zoom for services', 'booknetic-zoom' ), __( 'Services', 'booknetic-zoom' ), self::TENANT_CAP, 'bkz-services', array( $this, 'services_screen' ) );
	}

	/**
	 * Platform settings (super admin): method, OAuth app, webhook secret; shows the URLs to register.
	 */
	public function platform_screen() {
		$this->render( 'platform-settings', array( 'settings' => BKZ_Client::request( 'GET', '/v1/platform/zoom', null, array( 'tenant' => BKZ_Tenant::PLATFORM ) ) ) );
	}

	/**
	 * Settings -> Integration with Zoom: connection, counts and the tenant's meeting settings.
	 */
	public function tenant_screen() {
		$status = $this->tenant_status();
		$this->render(
			'tenant-settings',
			array(
				'status'   => $status,
				'settings' => is_wp_error( $status ) ? $status : BKZ_Client::request( 'GET', '/v1/tenant/zoom/settings' ),
			)
		);
	}

	/**
	 * Staff -> Zoom user: one dropdown per staff member of the tenant.
	 */
	public function staff_screen() {
		$rows = array();
		foreach ( $this->tenant_rows( 'staff' ) as $staff ) {
			$rows[] = array(
				'id'      => (int) $staff->id,
				'name'    => $staff->name,
				'current' => BKZ_Client::request( 'GET', '/v1/tenant/staff/' . (int) $staff->id . '/zoom-user' ),
			);
		}
		$this->render(
			'staff-zoom-user',
			array(
				'staff' => $rows,
				'users' => BKZ_Client::request( 'GET', '/v1/tenant/zoom/users' ),
			)
		);
	}

	/**
	 * Services -> "Activate Zoom" toggle for each service of the tenant.
	 */
	public function services_screen() {
		$rows = array();
		foreach ( $this->tenant_rows( 'services' ) as $service ) {
			$rows[] = array(
				'id'      => (int) $service->id,
				'name'    => $service->name,
				'current' => BKZ_Client::request( 'GET', '/v1/tenant/services/' . (int) $service->id . '/zoom' ),
			);
		}
		$this->render( 'service-zoom', array( 'services' => $rows ) );
	}

	/**
	 * The sidecar's view of the current tenant's Zoom (cached for this request).
	 */
	private function tenant_status() {
		if ( null === $this->status ) {
			// Asked on every admin page of a tenant (for the menu): a down sidecar must not stall wp-admin.
			$this->status = BKZ_Client::request( 'GET', '/v1/tenant/zoom', null, array( 'timeout' => self::STATUS_TIMEOUT ) );
		}
		return $this->status;
	}

	/**
	 * The current tenant's rows of a Booknetic table (staff or services), for naming them on screen.
	 */
	private function tenant_rows( $table ) {
		global $wpdb;
		$name = 'staff' === $table ? 'staff' : 'services';
		return $wpdb->get_results( $wpdb->prepare( "SELECT id, name FROM {$wpdb->base_prefix}bkntc_{$name} WHERE tenant_id = %d ORDER BY id", BKZ_Tenant::current() ) );
	}

	/**
	 * Include a view with its prepared data and the notice carried over from the last form post.
	 */
	private function render( $view, $data ) {
		$data['notice'] = array(
			'message' => isset( $_GET['bkz_msg'] ) ? sanitize_text_field( wp_unslash( $_GET['bkz_msg'] ) ) : '',
			'error'   => isset( $_GET['bkz_err'] ) ? sanitize_text_field( wp_unslash( $_GET['bkz_err'] ) ) : '',
			'field'   => isset( $_GET['bkz_field'] ) ? sanitize_key( wp_unslash( $_GET['bkz_field'] ) ) : '',
		);
		include BKZ_PLUGIN_DIR . 'views/' . $view . '.php';
	}
}
