<?php
/**
 * The one way to talk to the sidecar: signed HTTP (SPEC section 4).
 */

if ( ! defined( 'WPINC' ) ) {
	die;
}

class BKZ_Client {

	const DEFAULT_TIMEOUT = 5;

	/**
	 * Send a signed JSON request and return the decoded answer, or WP_Error.
	 *
	 * A non-2xx answer becomes WP_Error( code = the sidecar's `error`, message = its `message`,
	 * data = [ 'status' => n, 'field' => ... ] ). $options: 'tenant' (default: the current user's
	 * tenant, see BKZ_Tenant), 'timeout' (seconds).
	 *
	 * @param string     $method GET, POST, PUT or DELETE.
	 * @param string     $path   Path with query, e.g. /v1/tenant/zoom/users?page=2.
	 * @param array|null $body   JSON body, or null for none.
	 * @param array      $options
	 * @return array|WP_Error
	 */
	public static function request( $method, $path, $body = null, $options = array() ) {
		$raw      = null === $body ? '' : wp_json_encode( (object) $body );
		$response = self::send( $method, $path, $raw, $options );
		if ( is_wp_error( $response ) ) {
			return $response;
		}
		$status  = (int) wp_remote_retrieve_response_code( $response );
		$decoded = json_decode( wp_remote_retrieve_body( $response ), true );
		$decoded = is_array( $decoded ) ? $decoded : array();
		if ( $status < 200 || $status >= 300 ) {
			return new WP_Error(
				isset( $decoded['error'] ) ? (string) $decoded['error'] : 'bkz_http_' . $status,
				isset( $decoded['message'] ) ? (string) $decoded['message'] : sprintf( 'The Zoom service answered HTTP %d.', $status ),
				array(
					'status' => $status,
					'field'  => isset( $decoded['field'] ) ? $decoded['field'] : null,
				)
			);
		}
		return $decoded;
	}

	/**
	 * Send a signed request with a raw body and return WordPress's raw response (for relaying).
	 *
	 * Redirects are not followed, so a 302 from the sidecar can be passed on to the browser.
	 * $options: 'tenant', 'timeout', 'headers' (extra headers sent unchanged).
	 *
	 * @return array|WP_Error
	 */
	public static function send( $method, $path, $raw_body, $options = array() ) {
		if ( ! defined( 'BKZ_SIDECAR_URL' ) || ! defined( 'BKZ_SHARED_SECRET' ) ) {
			return new WP_Error( 'bkz_not_configured', 'BKZ_SIDECAR_URL and BKZ_SHARED_SECRET must be defined in wp-config.php.' );
		}
		$method = strtoupper( $method );
		$tenant = isset( $options['tenant'] ) ? (string) $options['tenant'] : (string) BKZ_Tenant::current();
		$actor  = (string) get_current_user_id();
		$ts     = (string) time();
		$nonce  = bin2hex( random_bytes( 16 ) );

		$headers = array(
			'Content-Type'    => 'application/json',
			'Accept'          => 'application/json',
			'X-BKZ-Timestamp' => $ts,
			'X-BKZ-Nonce'     => $nonce,
			'X-BKZ-Tenant'    => $tenant,
			'X-BKZ-Actor'     => $actor,
			'X-BKZ-Signature' => self::signature( BKZ_SHARED_SECRET, $ts, $method, $path, $tenant, $actor, $raw_body ),
		);
		if ( isset( $options['headers'] ) ) {
			$headers = array_merge( $options['headers'], $headers );
		}

		return wp_remote_request(
			rtrim( BKZ_SIDECAR_URL, '/' ) . $path,
			array(
				'method'      => $method,
				'headers'     => $headers,
				'body'        => '' === $raw_body ? null : $raw_body,
				'timeout'     => isset( $options['timeout'] ) ? $options['timeout'] : self::DEFAULT_TIMEOUT,
				'redirection' => 0,
			)
		);
	}

	/**
	 * The request signature: hex HMAC-SHA256 over ts, METHOD, path?query, tenant, actor, sha256hex(body).
	 */
	public static function signature( $secret, $ts, $method, $path, $tenant, $actor, $raw_body ) {
		$message = implode( "\n", array( $ts, strtoupper( $method ), $path, $tenant, $actor, hash( 'sha256', $raw_body ) ) );
		return hash_hmac( 'sha256', $message, $secret );
	}
}
