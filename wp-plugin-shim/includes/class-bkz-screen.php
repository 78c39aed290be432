<?php
/**
 * What the shim's screens inside Booknetic share: rendering a view into Booknetic's AJAX answer,
 * turning a sidecar answer into one, reading posted fields, asset URLs.
 */

if ( ! defined( 'WPINC' ) ) {
	die;
}

class BKZ_Screen {

	/**
	 * The HTML of views/$name.php with $data in scope as $data.
	 */
	public static function render( $name, $data ) {
		ob_start();
		include BKZ_PLUGIN_DIR . 'views/' . $name . '.php';
		return (string) ob_get_clean();
	}

	/**
	 * A view as Booknetic's settings screens expect it: status ok and the HTML escaped (its JS decodes it).
	 */
	public static function answer( $name, $data ) {
		return array(
			'status' => 'ok',
			'html'   => htmlspecialchars( self::render( $name, $data ) ),
		);
	}

	/**
	 * An error answer Booknetic's booknetic.ajax() shows as a toast; `field` names the input at fault.
	 */
	public static function error( $message, $field = null ) {
		return array(
			'status'    => 'error',
			'error_msg' => (string) $message,
			'field'     => $field,
		);
	}

	/**
	 * The URL of one of the shim's asset files, versioned so browsers pick up a new release.
	 */
	public static function asset( $path ) {
		return plugins_url( 'assets/' . $path, BKZ_PLUGIN_FILE ) . '?v=' . BKZ_VERSION;
	}

	/**
	 * A sidecar answer turned into a Booknetic AJAX answer: its message, or the error (with field) it gave.
	 */
	public static function outcome( $answer, $success_message ) {
		if ( is_wp_error( $answer ) ) {
			$data = $answer->get_error_data();
			return self::error( $answer->get_error_message(), is_array( $data ) && isset( $data['field'] ) ? $data['field'] : null );
		}
		return array(
			'status'  => 'ok',
			'message' => isset( $answer['message'] ) ? (string) $answer['message'] : $success_message,
		);
	}

	/**
	 * A posted text field, unslashed and sanitized ('' when absent).
	 */
	public static function posted( $key ) {
		return isset( $_POST[ $key ] ) ? sanitize_text_field( wp_unslash( $_POST[ $key ] ) ) : '';
	}

	/**
	 * Stop a change unless it carries the nonce its screen was rendered with (Booknetic's AJAX has none).
	 *
	 * @throws \BookneticApp\Providers\Core\CapabilitiesException Booknetic's Route answers it as an error.
	 */
	public static function must_nonce( $action ) {
		if ( ! wp_verify_nonce( self::posted( 'bkz_nonce' ), $action ) ) {
			throw new \BookneticApp\Providers\Core\CapabilitiesException( __( 'This screen has expired: reload the page and try again.', 'booknetic-zoom' ) );
		}
	}
}
