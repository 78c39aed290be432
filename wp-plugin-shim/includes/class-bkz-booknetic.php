<?php
/**
 * Where the shim plugs into Booknetic itself: its staff/service save filters and its ShortCodeService.
 */

if ( ! defined( 'WPINC' ) ) {
	die;
}

class BKZ_Booknetic {

	const SHORTCODES = array(
		'zoom_meeting_url'      => 'Zoom meeting URL',
		'zoom_meeting_host_url' => 'Zoom meeting host URL',
		'zoom_meeting_password' => 'Zoom meeting password',
	);

	/** Booknetic's workflow drivers, by the channel name the sidecar expects. */
	const DRIVERS = array(
		'EmailWorkflowDriver'    => 'email',
		'SmsWorkflowDriver'      => 'sms',
		'WhatsappWorkflowDriver' => 'whatsapp',
		'TelegramWorkflowDriver' => 'telegram',
	);

	const EXPAND_TIMEOUT = 8;

	/**
	 * Link (or with '' unlink) a staff member to a Zoom user through the sidecar.
	 */
	public static function link_staff( $staff_id, $zoom_user_id ) {
		return BKZ_Client::request( 'PUT', '/v1/tenant/staff/' . (int) $staff_id . '/zoom-user', array( 'zoom_user_id' => '' === $zoom_user_id ? null : $zoom_user_id ) );
	}

	/**
	 * Switch "Activate Zoom" for a service through the sidecar.
	 */
	public static function toggle_service( $service_id, $enabled ) {
		return BKZ_Client::request( 'PUT', '/v1/tenant/services/' . (int) $service_id . '/zoom', array( 'enabled' => (bool) $enabled ) );
	}

	/**
	 * Filter bkntc_after_request_staff_save_staff: save the posted Zoom user of the saved staff.
	 *
	 * Booknetic's staff form posts `zoom_user` only when the Zoom tab is shown; otherwise nothing
	 * changes. The AJAX result passes through untouched: a sidecar failure never fails the save.
	 */
	public function after_save_staff( $result ) {
		if ( isset( $_POST['zoom_user'], $result['staff_id'] ) ) {
			$this->report( self::link_staff( (int) $result['staff_id'], sanitize_text_field( wp_unslash( $_POST['zoom_user'] ) ) ), 'staff', $result['staff_id'] );
		}
		return $result;
	}

	/**
	 * Filter bkntc_after_request_services_save_service: save the posted "Activate Zoom" toggle.
	 */
	public function after_save_service( $result ) {
		if ( isset( $_POST['activate_zoom'], $result['id'] ) ) {
			$this->report( self::toggle_service( (int) $result['id'], '1' === (string) wp_unslash( $_POST['activate_zoom'] ) ), 'service', $result['id'] );
		}
		return $result;
	}

	/**
	 * Register the three shortcodes and the replacer with Booknetic's ShortCodeService, if loaded.
	 */
	public function register_shortcodes() {
		if ( ! is_callable( array( '\BookneticApp\Config', 'getShortCodeService' ) ) ) {
			return;
		}
		$service = \BookneticApp\Config::getShortCodeService();
		foreach ( self::SHORTCODES as $code => $name ) {
			$service->registerShortCode(
				$code,
				array(
					'name'     => $name,
					'category' => 'appointment_info',
					'depends'  => 'appointment_id',
				)
			);
		}
		$service->addReplacer( array( $this, 'replace_shortcodes' ) );
	}

	/**
	 * Replacer: let the sidecar expand our shortcodes; if it cannot, the text stays as it was.
	 */
	public function replace_shortcodes( $text, $data, $service = null ) {
		if ( empty( $data['appointment_id'] ) || ! is_string( $text ) || ! preg_match( '/\{zoom_meeting_(url|host_url|password)\}/', $text ) ) {
			return $text;
		}
		$appointment_id = (int) $data['appointment_id'];
		$tenant         = BKZ_Tenant::of_appointment( $appointment_id );
		if ( null === $tenant ) {
			return $text;
		}
		$answer = BKZ_Client::request(
			'POST',
			'/v1/tenant/shortcodes/expand',
			array(
				'appointment_id' => $appointment_id,
				'channel'        => $this->channel(),
				'audience'       => 'unknown',
				'texts'          => array( $text ),
			),
			array(
				'tenant'  => $tenant,
				'timeout' => self::EXPAND_TIMEOUT,
			)
		);
		if ( is_wp_error( $answer ) || ! isset( $answer['texts'][0] ) ) {
			$this->report( $answer, 'shortcodes', $appointment_id );
			return $text;
		}
		return (string) $answer['texts'][0];
	}

	/**
	 * The workflow channel doing the replacing, from the Booknetic driver on the call stack.
	 *
	 * Booknetic hands replacers no channel; its drivers are the only callers that know it. Email is
	 * the safe guess (values get HTML-escaped) when no driver is found.
	 */
	private function channel() {
		foreach ( debug_backtrace( DEBUG_BACKTRACE_IGNORE_ARGS, 12 ) as $frame ) {
			$class = isset( $frame['class'] ) ? substr( strrchr( '\\' . $frame['class'], '\\' ), 1 ) : '';
			if ( isset( self::DRIVERS[ $class ] ) ) {
				return self::DRIVERS[ $class ];
			}
		}
		return 'email';
	}

	private function report( $answer, $what, $id ) {
		if ( is_wp_error( $answer ) ) {
			error_log( sprintf( 'bkz_sidecar_call_failed what=%s id=%d error=%s', $what, (int) $id, $answer->get_error_code() ) );
		}
	}
}
