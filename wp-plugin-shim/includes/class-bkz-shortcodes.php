<?php
/**
 * The three workflow shortcodes, registered with Booknetic's ShortCodeService and expanded by the
 * sidecar (SPEC section 6).
 */

if ( ! defined( 'WPINC' ) ) {
	die;
}

class BKZ_Shortcodes {

	/** Booknetic's registration of each shortcode; the sidecar knows what each one expands to. */
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

	/** Below Booknetic's own workflow timeouts, above the sidecar's inline sync budget. */
	const EXPAND_TIMEOUT = 8;

	/**
	 * Register the shortcodes and the replacer, as Booknetic's Zoom add-on does.
	 *
	 * @param \BookneticApp\Providers\Common\ShortCodeService $service Booknetic's shortcode service.
	 */
	public function register( $service ) {
		foreach ( self::SHORTCODES as $code => $name ) {
			$service->registerShortCode(
				$code,
				array(
					'name'     => bkntc__( $name ),
					'category' => 'appointment_info',
					'depends'  => 'appointment_id',
				)
			);
		}
		$service->addReplacer( array( $this, 'replace' ) );
	}

	/** Signed into the join links the shim builds itself (sidecar/services/links.py checks the same). */
	const JOIN_LINK_LABEL = 'booknetic-zoom shim join link v1';

	/**
	 * Replacer ($text, $data, $service): the sidecar expands our shortcodes.
	 *
	 * A message never goes out with a raw shortcode: when the sidecar cannot answer in time,
	 * {zoom_meeting_url} becomes a stable join link signed here with the shared secret (it opens the
	 * meeting once the sidecar has made it), the other two become empty text, and the failure is logged.
	 */
	public function replace( $text, $data, $service = null ) {
		if ( empty( $data['appointment_id'] ) || ! is_string( $text ) || ! $this->has_ours( $text ) ) {
			return $text;
		}
		$appointment_id = (int) $data['appointment_id'];
		$tenant         = BKZ_Tenant::of_appointment( $appointment_id );
		$answer         = null === $tenant ? new WP_Error( 'bkz_no_tenant', 'the appointment has no tenant' ) : BKZ_Client::request(
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
			$link = null === $tenant ? '' : self::join_link( $tenant, $appointment_id );
			error_log( sprintf( 'bkz_shortcodes_fallback appointment=%d error=%s join_link=%s', $appointment_id, is_wp_error( $answer ) ? $answer->get_error_code() : 'bad_answer', '' === $link ? 'none' : 'stable' ) );
			return strtr(
				$text,
				array(
					'{zoom_meeting_url}'      => 'email' === $this->channel() ? htmlspecialchars( $link, ENT_QUOTES ) : $link,
					'{zoom_meeting_host_url}' => '',
					'{zoom_meeting_password}' => '',
				)
			);
		}
		return (string) $answer['texts'][0];
	}

	/**
	 * The appointment's stable join link, signed with the shared secret; '' without one.
	 */
	public static function join_link( $tenant, $appointment_id ) {
		if ( ! defined( 'BKZ_SHARED_SECRET' ) ) {
			return '';
		}
		$message = self::JOIN_LINK_LABEL . "\n" . (int) $tenant . "\n" . (int) $appointment_id;
		$sig     = substr( strtr( base64_encode( hash_hmac( 'sha256', $message, BKZ_SHARED_SECRET, true ) ), '+/', '-_' ), 0, 22 );
		$token   = 's' . (int) $tenant . '.' . (int) $appointment_id . '.' . $sig;
		return home_url( '/' ) . '?booknetic_action=zoom_join&t=' . rawurlencode( $token );
	}

	private function has_ours( $text ) {
		foreach ( $this->tags() as $tag ) {
			if ( false !== strpos( $text, $tag ) ) {
				return true;
			}
		}
		return false;
	}

	private function tags() {
		return array_map(
			function ( $code ) {
				return '{' . $code . '}';
			},
			array_keys( self::SHORTCODES )
		);
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
}
