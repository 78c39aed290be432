<?php
/**
 * The public WordPress URLs (SPEC section 4): OAuth redirect URI, Zoom webhook, stable meeting links.
 *
 * Each forwards to the sidecar as tenant `platform` (the sidecar finds the tenant in a value it
 * signed itself) and relays the answer.
 */

if ( ! defined( 'WPINC' ) ) {
	die;
}

class BKZ_Public {

	/**
	 * Dispatch ?booknetic_action=zoom_* requests; any other request passes through untouched.
	 */
	public function dispatch() {
		$action = isset( $_GET['booknetic_action'] ) ? sanitize_key( wp_unslash( $_GET['booknetic_action'] ) ) : '';
		switch ( $action ) {
			case 'zoom_oauth_callback':
				$this->oauth_callback();
				break;
			case 'zoom_webhook':
				$this->webhook();
				break;
			case 'zoom_join':
				$this->stable_link( 'join' );
				break;
			case 'zoom_host':
				$this->stable_link( 'host' );
				break;
			default:
				return;
		}
		exit;
	}

	/**
	 * Hand Zoom's code + state to the sidecar, then send the browser back to the tenant panel.
	 */
	private function oauth_callback() {
		$answer = BKZ_Client::request(
			'POST',
			'/v1/oauth/callback',
			array(
				'code'  => isset( $_GET['code'] ) ? sanitize_text_field( wp_unslash( $_GET['code'] ) ) : '',
				'state' => isset( $_GET['state'] ) ? sanitize_text_field( wp_unslash( $_GET['state'] ) ) : '',
			),
			array( 'tenant' => BKZ_Tenant::PLATFORM )
		);
		if ( is_wp_error( $answer ) ) {
			$data = $answer->get_error_data();
			wp_die( esc_html( $answer->get_error_message() ), esc_html__( 'Zoom connection failed', 'booknetic-zoom' ), array( 'response' => isset( $data['status'] ) ? (int) $data['status'] : 502 ) );
		}
		$target = add_query_arg( 'bkz_msg', rawurlencode( (string) $answer['message'] ), (string) $answer['return_url'] );
		// The return URL is the tenant panel on this site; wp_safe_redirect refuses any other host.
		wp_safe_redirect( $target, 302 );
	}

	/**
	 * Relay Zoom's webhook byte for byte (its signature covers the raw body) and relay the answer.
	 */
	private function webhook() {
		$headers = array();
		foreach ( $_SERVER as $key => $value ) {
			if ( 0 === strpos( $key, 'HTTP_X_ZM_' ) ) {
				$headers[ str_replace( '_', '-', strtolower( substr( $key, 5 ) ) ) ] = $value;
			}
		}
		$response = BKZ_Client::send(
			'POST',
			'/v1/zoom/webhook',
			(string) file_get_contents( 'php://input' ),
			array(
				'tenant'  => BKZ_Tenant::PLATFORM,
				'headers' => $headers,
			)
		);
		$this->relay( $response );
	}

	/**
	 * Resolve a stable join/host link through the sidecar: pass its redirect or page on.
	 */
	private function stable_link( $kind ) {
		$token    = isset( $_GET['t'] ) ? sanitize_text_field( wp_unslash( $_GET['t'] ) ) : '';
		$response = BKZ_Client::send( 'GET', '/v1/' . $kind . '/' . rawurlencode( $token ), '', array( 'tenant' => BKZ_Tenant::PLATFORM ) );
		$status   = is_wp_error( $response ) ? 0 : (int) wp_remote_retrieve_response_code( $response );
		$location = is_wp_error( $response ) ? '' : wp_remote_retrieve_header( $response, 'location' );
		if ( $status >= 300 && $status < 400 && $location ) {
			// The sidecar signed this link; the target is Zoom, so this redirect is off-site on purpose.
			wp_redirect( $location, $status );
			return;
		}
		$this->relay( $response );
	}

	/**
	 * Send the sidecar's status, content type and body to the client (503 when it is unreachable).
	 */
	private function relay( $response ) {
		if ( is_wp_error( $response ) ) {
			status_header( 503 );
			header( 'Content-Type: application/json' );
			echo wp_json_encode(
				array(
					'error'   => 'sidecar_unavailable',
					'message' => 'The Zoom service is not reachable right now.',
				)
			);
			return;
		}
		status_header( (int) wp_remote_retrieve_response_code( $response ) );
		$type = wp_remote_retrieve_header( $response, 'content-type' );
		if ( $type ) {
			header( 'Content-Type: ' . $type );
		}
		echo wp_remote_retrieve_body( $response ); // phpcs:ignore WordPress.Security.EscapeOutput -- relayed as is.
	}
}
