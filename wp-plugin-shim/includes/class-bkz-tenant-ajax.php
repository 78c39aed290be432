<?php
/**
 * Settings -> Integration with Zoom: the tenant's screen, served through Booknetic's Route AJAX
 * (admin.php?page=booknetic&ajax=1, module zoom_settings). Every action needs the user capability
 * zoom_settings (and, in SaaS, the plan capability zoom); Booknetic answers a refusal itself.
 */

if ( ! defined( 'WPINC' ) ) {
	die;
}

use BookneticApp\Providers\Core\Capabilities;

class BKZ_Tenant_Ajax {

	const MODULE  = 'zoom_settings';
	const VIEW    = 'settings_view';
	const ACTIONS = array( 'settings_view', 'save_settings', 'connect', 'save_credentials', 'disconnect' );
	const NONCE   = 'bkz_tenant_settings';

	/** @var string set by Booknetic's Route */
	public $modulesDir;

	/** @var string set by Booknetic's Route */
	public $prefix;

	/**
	 * The screen: connection, counts and the add-on's tenant settings, as the sidecar answers them.
	 */
	public function settings_view() {
		$this->must( false );
		$status = BKZ_Client::request( 'GET', '/v1/tenant/zoom' );
		return BKZ_Screen::answer(
			'tenant-settings',
			array(
				'status'   => $status,
				'settings' => is_wp_error( $status ) ? $status : BKZ_Client::request( 'GET', '/v1/tenant/zoom/settings' ),
				'message'  => BKZ_Screen::posted( 'message' ),
			)
		);
	}

	/**
	 * Save the tenant's Zoom switch, meeting title/agenda templates, random-password choice, meeting
	 * options (or the host's Zoom defaults) and which bookings get meetings.
	 */
	public function save_settings() {
		$this->must();
		$switches = array( 'enabled', 'random_password', 'use_host_defaults', 'waiting_room', 'join_before_host', 'mute_upon_entry' );
		$body     = array(
			'meeting_title'  => BKZ_Screen::posted( 'meeting_title' ),
			'meeting_agenda' => isset( $_POST['meeting_agenda'] ) ? sanitize_textarea_field( wp_unslash( $_POST['meeting_agenda'] ) ) : '',
			'auto_recording' => BKZ_Screen::posted( 'auto_recording' ),
			'meetings_for'   => BKZ_Screen::posted( 'meetings_for' ),
		);
		foreach ( $switches as $name ) {
			$body[ $name ] = 'on' === BKZ_Screen::posted( $name );
		}
		$answer = BKZ_Client::request( 'PUT', '/v1/tenant/zoom/settings', $body );
		return BKZ_Screen::outcome( $answer, __( 'Zoom settings saved.', 'booknetic-zoom' ) );
	}

	/**
	 * OAuth: a one-time authorize URL from the sidecar; the browser goes there.
	 *
	 * Zoom sends the tenant back to this screen, which shows "Your Zoom account has been connected".
	 */
	public function connect() {
		$this->must();
		$return = admin_url( 'admin.php?page=booknetic&module=settings&setting=' . self::MODULE . '.' . self::VIEW );
		$answer = BKZ_Client::request( 'POST', '/v1/tenant/zoom/connect', array( 'return_url' => $return ) );
		if ( is_wp_error( $answer ) ) {
			return BKZ_Screen::outcome( $answer, '' );
		}
		return array(
			'status'        => 'ok',
			'authorize_url' => (string) $answer['authorize_url'],
		);
	}

	/**
	 * Server-to-Server: Account ID / Client ID / Client Secret, checked with Zoom by the sidecar.
	 */
	public function save_credentials() {
		$this->must();
		$answer = BKZ_Client::request(
			'PUT',
			'/v1/tenant/zoom/credentials',
			array(
				'account_id'    => BKZ_Screen::posted( 'account_id' ),
				'client_id'     => BKZ_Screen::posted( 'client_id' ),
				'client_secret' => BKZ_Screen::posted( 'client_secret' ),
			)
		);
		return BKZ_Screen::outcome( $answer, __( 'Your Zoom account has been connected', 'booknetic-zoom' ) );
	}

	/**
	 * Disconnect the tenant's Zoom account (meetings already made stay on Zoom).
	 */
	public function disconnect() {
		$this->must();
		return BKZ_Screen::outcome( BKZ_Client::request( 'DELETE', '/v1/tenant/zoom' ), __( 'Your Zoom account has been disconnected.', 'booknetic-zoom' ) );
	}

	/**
	 * Only a user Booknetic lets manage the Zoom settings, of a tenant whose plan has Zoom; a change
	 * also needs the nonce the screen carries (Booknetic's AJAX has none of its own).
	 *
	 * @throws \BookneticApp\Providers\Core\CapabilitiesException Booknetic's Route answers it as an error.
	 */
	private function must( $change = true ) {
		Capabilities::must( BKZ_Addon::SETTINGS_CAPABILITY );
		Capabilities::mustTenant( BKZ_Addon::PLAN_CAPABILITY );
		if ( $change ) {
			BKZ_Screen::must_nonce( self::NONCE );
		}
	}
}
