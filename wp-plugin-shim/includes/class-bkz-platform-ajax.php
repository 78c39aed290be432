<?php
/**
 * SaaS Settings -> Integrations -> Zoom: the platform admin's screen, through Booknetic SaaS's Route
 * AJAX (admin.php?page=booknetic-saas&ajax=1, module zoom_platform). Only the super admin reaches
 * the SaaS panel; the handlers check it again, and a change needs the screen's nonce.
 */

if ( ! defined( 'WPINC' ) ) {
	die;
}

class BKZ_Platform_Ajax {

	const MODULE  = 'zoom_platform';
	const VIEW    = 'platform_view';
	const ACTIONS = array( 'platform_view', 'save_platform' );
	const NONCE   = 'bkz_platform_settings';

	/** @var string set by Booknetic's Route */
	public $modulesDir;

	/** @var string set by Booknetic's Route */
	public $prefix;

	/**
	 * The screen: enable, method, OAuth app, webhook secret, and the URLs for the Marketplace app.
	 */
	public function platform_view() {
		$this->must( false );
		return BKZ_Screen::answer(
			'platform-settings',
			array(
				'settings' => BKZ_Client::request( 'GET', '/v1/platform/zoom', null, array( 'tenant' => BKZ_Tenant::PLATFORM ) ),
				'message'  => BKZ_Screen::posted( 'message' ),
			)
		);
	}

	/**
	 * Save the platform settings; a secret left blank stays as it is.
	 */
	public function save_platform() {
		$this->must();
		$body = array(
			'enabled'   => 'on' === BKZ_Screen::posted( 'enabled' ),
			'method'    => BKZ_Screen::posted( 'method' ),
			'client_id' => BKZ_Screen::posted( 'client_id' ),
		);
		foreach ( array( 'client_secret', 'webhook_secret_token' ) as $secret ) {
			if ( '' !== BKZ_Screen::posted( $secret ) ) {
				$body[ $secret ] = BKZ_Screen::posted( $secret );
			}
		}
		$answer = BKZ_Client::request( 'PUT', '/v1/platform/zoom', $body, array( 'tenant' => BKZ_Tenant::PLATFORM ) );
		return BKZ_Screen::outcome( $answer, __( 'Zoom platform settings saved.', 'booknetic-zoom' ) );
	}

	/**
	 * @throws \BookneticApp\Providers\Core\CapabilitiesException Booknetic's Route answers it as an error.
	 */
	private function must( $change = true ) {
		if ( ! current_user_can( 'manage_options' ) ) {
			throw new \BookneticApp\Providers\Core\CapabilitiesException( __( 'Only the platform administrator can change the Zoom platform settings.', 'booknetic-zoom' ) );
		}
		if ( $change ) {
			BKZ_Screen::must_nonce( self::NONCE );
		}
	}
}
