<?php
/**
 * Form handlers (admin-post.php?action=bkz_*): check intent and permission, forward to the sidecar,
 * and send the browser back to the screen with the sidecar's message.
 */

if ( ! defined( 'WPINC' ) ) {
	die;
}

class BKZ_Actions {

	/**
	 * Save the platform's method, OAuth app and webhook secret (secrets left blank stay as they are).
	 */
	public function save_platform() {
		check_admin_referer( 'bkz_save_platform' );
		if ( ! current_user_can( 'manage_options' ) ) {
			wp_die( esc_html__( 'You are not allowed to change the Zoom platform settings.', 'booknetic-zoom' ), 403 );
		}
		$body = array(
			'enabled'   => ! empty( $_POST['enabled'] ),
			'method'    => $this->posted( 'method' ),
			'client_id' => $this->posted( 'client_id' ),
		);
		foreach ( array( 'client_secret', 'webhook_secret_token' ) as $secret ) {
			if ( '' !== $this->posted( $secret ) ) {
				$body[ $secret ] = $this->posted( $secret );
			}
		}
		$answer = BKZ_Client::request( 'PUT', '/v1/platform/zoom', $body, array( 'tenant' => BKZ_Tenant::PLATFORM ) );
		$this->back( 'bkz-platform', $answer, __( 'Zoom platform settings saved.', 'booknetic-zoom' ) );
	}

	/**
	 * OAuth: ask the sidecar for a one-time authorize URL and send the tenant to Zoom.
	 */
	public function connect() {
		$this->must_be_tenant( 'bkz_connect' );
		$answer = BKZ_Client::request( 'POST', '/v1/tenant/zoom/connect', array( 'return_url' => $this->screen_url( 'bkz-tenant' ) ) );
		if ( is_wp_error( $answer ) ) {
			$this->back( 'bkz-tenant', $answer, '' );
			return;
		}
		// Zoom's authorize page is off-site by design; the URL comes from the sidecar, not the browser.
		wp_redirect( $answer['authorize_url'] );
		exit;
	}

	/**
	 * S2S: hand Account ID / Client ID / Client Secret to the sidecar, which checks them with Zoom.
	 */
	public function save_credentials() {
		$this->must_be_tenant( 'bkz_save_credentials' );
		$answer = BKZ_Client::request(
			'PUT',
			'/v1/tenant/zoom/credentials',
			array(
				'account_id'    => $this->posted( 'account_id' ),
				'client_id'     => $this->posted( 'client_id' ),
				'client_secret' => $this->posted( 'client_secret' ),
			)
		);
		$this->back( 'bkz-tenant', $answer, __( 'Your Zoom account has been connected', 'booknetic-zoom' ) );
	}

	/**
	 * Disconnect the tenant's Zoom account (meetings already made stay on Zoom).
	 */
	public function disconnect() {
		$this->must_be_tenant( 'bkz_disconnect' );
		$answer = BKZ_Client::request( 'DELETE', '/v1/tenant/zoom' );
		$this->back( 'bkz-tenant', $answer, __( 'Your Zoom account has been disconnected.', 'booknetic-zoom' ) );
	}

	/**
	 * Save the tenant's Zoom switch, meeting title/agenda templates and random-password choice.
	 */
	public function save_tenant_settings() {
		$this->must_be_tenant( 'bkz_save_tenant_settings' );
		$answer = BKZ_Client::request(
			'PUT',
			'/v1/tenant/zoom/settings',
			array(
				'enabled'         => ! empty( $_POST['enabled'] ),
				'meeting_title'   => $this->posted( 'meeting_title' ),
				'meeting_agenda'  => isset( $_POST['meeting_agenda'] ) ? sanitize_textarea_field( wp_unslash( $_POST['meeting_agenda'] ) ) : '',
				'random_password' => ! empty( $_POST['random_password'] ),
			)
		);
		$this->back( 'bkz-tenant', $answer, __( 'Zoom settings saved.', 'booknetic-zoom' ) );
	}

	/**
	 * Link a staff member to a Zoom user of the account, or unlink (empty choice).
	 */
	public function save_staff_zoom_user() {
		$this->must_be_tenant( 'bkz_save_staff_zoom_user' );
		$answer = BKZ_Booknetic::link_staff( absint( $_POST['staff_id'] ?? 0 ), $this->posted( 'zoom_user_id' ) );
		$this->back( 'bkz-staff', $answer, __( 'Zoom user saved.', 'booknetic-zoom' ) );
	}

	/**
	 * Switch "Activate Zoom" for a service.
	 */
	public function save_service_zoom() {
		$this->must_be_tenant( 'bkz_save_service_zoom' );
		$answer = BKZ_Booknetic::toggle_service( absint( $_POST['service_id'] ?? 0 ), ! empty( $_POST['enabled'] ) );
		$this->back( 'bkz-services', $answer, __( 'Service saved.', 'booknetic-zoom' ) );
	}

	/**
	 * Stop unless the form's nonce is valid and the user is a tenant user allowed on the screens.
	 */
	private function must_be_tenant( $action ) {
		check_admin_referer( $action );
		if ( ! current_user_can( BKZ_Admin::TENANT_CAP ) || null === BKZ_Tenant::current() ) {
			wp_die( esc_html__( 'Only a tenant can change its Zoom integration.', 'booknetic-zoom' ), 403 );
		}
	}

	/**
	 * Redirect to a screen with the sidecar's (or a default) success message, or its error and field.
	 */
	private function back( $page, $answer, $success ) {
		if ( is_wp_error( $answer ) ) {
			$data = $answer->get_error_data();
			$args = array(
				'bkz_err'   => rawurlencode( $answer->get_error_message() ),
				'bkz_field' => isset( $data['field'] ) ? rawurlencode( (string) $data['field'] ) : '',
			);
		} else {
			$args = array( 'bkz_msg' => rawurlencode( isset( $answer['message'] ) ? (string) $answer['message'] : $success ) );
		}
		wp_safe_redirect( add_query_arg( array_filter( $args ), $this->screen_url( $page ) ) );
		exit;
	}

	private function screen_url( $page ) {
		return admin_url( 'admin.php?page=' . $page );
	}

	private function posted( $key ) {
		return isset( $_POST[ $key ] ) ? sanitize_text_field( wp_unslash( $_POST[ $key ] ) ) : '';
	}
}
