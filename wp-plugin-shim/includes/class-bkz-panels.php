<?php
/**
 * Zoom inside Booknetic's own modals and panels: the Edit Staff "Zoom user" section, the Edit
 * Service "Activate Zoom for the service" toggle, the appointment info's START MEETING button and the
 * customer panel's join button. Each shows what the sidecar answers; each save goes to the sidecar.
 */

if ( ! defined( 'WPINC' ) ) {
	die;
}

use BookneticApp\Providers\Core\Capabilities;

class BKZ_Panels {

	/** The panels are drawn on every open of a modal or list: a slow sidecar must not stall them. */
	const PANEL_TIMEOUT = 2;

	/** @var bool the sidecar failed once in this request: the customer panel's other rows skip it */
	private static $sidecar_down = false;

	/**
	 * Data of the Edit Staff modal's "Zoom user" section: the account's users and the staff's link.
	 *
	 * @param array $shared Booknetic's parameters of the modal ('id' is the staff id, 0 for a new one).
	 */
	public function staff_view_data( $shared ) {
		if ( ! $this->may_manage_zoom() ) {
			return array( 'allowed' => false );
		}
		$staff_id = (int) ( $shared['id'] ?? 0 );
		$users    = BKZ_Client::request( 'GET', '/v1/tenant/zoom/users', null, array( 'timeout' => self::PANEL_TIMEOUT ) );
		$current  = null;
		if ( $staff_id > 0 && ! is_wp_error( $users ) ) {
			$link    = BKZ_Client::request( 'GET', '/v1/tenant/staff/' . $staff_id . '/zoom-user', null, array( 'timeout' => self::PANEL_TIMEOUT ) );
			$current = is_wp_error( $link ) ? null : ( $link['zoom_user'] ?? null );
		}
		return array(
			'allowed' => true,
			'users'   => $users,
			'current' => $current,
		);
	}

	/**
	 * Data of the Edit Service modal's toggle: whether Zoom is on for the service.
	 *
	 * @param array $shared Booknetic's parameters of the modal ('id' is the service id, 0 for a new one).
	 */
	public function service_view_data( $shared ) {
		if ( ! $this->may_manage_zoom() ) {
			return array( 'allowed' => false );
		}
		$service_id = (int) ( $shared['id'] ?? 0 );
		$state      = $service_id > 0
			? BKZ_Client::request( 'GET', '/v1/tenant/services/' . $service_id . '/zoom', null, array( 'timeout' => self::PANEL_TIMEOUT ) )
			: array( 'enabled' => false );
		return array(
			'allowed' => true,
			'state'   => $state,
		);
	}

	/**
	 * Filter bkntc_after_request_staff_save_staff: forward the posted Zoom user of the saved staff.
	 *
	 * Booknetic has saved the staff already; a sidecar failure never fails that save, it comes back as
	 * a warning the modal's script shows.
	 */
	public function after_save_staff( $result ) {
		if ( ! isset( $_POST['zoom_user'], $result['staff_id'] ) || 'ok' !== ( $result['status'] ?? '' ) || ! $this->may_manage_zoom() ) {
			return $result;
		}
		$zoom_user = BKZ_Screen::posted( 'zoom_user' );
		$answer    = BKZ_Client::request( 'PUT', '/v1/tenant/staff/' . (int) $result['staff_id'] . '/zoom-user', array( 'zoom_user_id' => '' === $zoom_user ? null : $zoom_user ) );
		return $this->with_warning( $result, $answer, 'staff', $result['staff_id'] );
	}

	/**
	 * Filter bkntc_after_request_services_save_service: forward the posted "Activate Zoom" toggle.
	 */
	public function after_save_service( $result ) {
		if ( ! isset( $_POST['activate_zoom'], $result['id'] ) || 'ok' !== ( $result['status'] ?? '' ) || ! $this->may_manage_zoom() ) {
			return $result;
		}
		$answer = BKZ_Client::request( 'PUT', '/v1/tenant/services/' . (int) $result['id'] . '/zoom', array( 'enabled' => '1' === BKZ_Screen::posted( 'activate_zoom' ) ) );
		return $this->with_warning( $result, $answer, 'service', $result['id'] );
	}

	/**
	 * Action bkntc_enqueue_assets (module, action, view): the modals' scripts, and the info modal's
	 * START MEETING button. What is echoed here lands inside the modal Booknetic is loading.
	 */
	public function enqueue_assets( $module, $action, $view_path = '' ) {
		if ( 'add_new' === $action && 'staff' === $module ) {
			printf( '<script type="application/javascript" src="%s"></script>', esc_url( BKZ_Screen::asset( 'js/staff-zoom-user.js' ) ) );
		} elseif ( 'add_new' === $action && 'services' === $module ) {
			printf( '<script type="application/javascript" src="%s"></script>', esc_url( BKZ_Screen::asset( 'js/service-zoom.js' ) ) );
		} elseif ( 'info' === $action && 'appointments' === $module ) {
			$this->start_meeting_button( (int) ( $_POST['id'] ?? 0 ) );
		}
	}

	/**
	 * Action bkntc_customer_panel_appointment_actions: the join button, while the appointment is not over.
	 */
	public function customer_panel_button( $appointment_id ) {
		$links = $this->links( (int) $appointment_id, 'customer' );
		if ( ! empty( $links['join_url'] ) ) {
			printf(
				'<a class="bkz-join-btn" href="%s" target="_blank" rel="noopener" title="%s">%s</a>',
				esc_url( $links['join_url'] ),
				esc_attr__( 'Join the Zoom meeting', 'booknetic-zoom' ),
				esc_html__( 'Join Zoom', 'booknetic-zoom' )
			);
		}
	}

	/**
	 * The appointment info modal's START MEETING button (the stable host link: a fresh start_url on
	 * each click); its script moves it into the modal's footer.
	 */
	private function start_meeting_button( $appointment_id ) {
		$links = $appointment_id > 0 ? $this->links( $appointment_id, 'staff' ) : array();
		if ( empty( $links['host_url'] ) ) {
			return;
		}
		printf(
			'<div class="bkz-start-meeting-holder" hidden><a class="btn btn-lg btn-success" id="bkz_start_meeting" href="%s" target="_blank" rel="noopener">%s</a></div>',
			esc_url( $links['host_url'] ),
			esc_html__( 'START MEETING', 'booknetic-zoom' )
		);
		printf( '<script type="application/javascript" src="%s"></script>', esc_url( BKZ_Screen::asset( 'js/appointment-info.js' ) ) );
	}

	/**
	 * The sidecar's links of one appointment for a customer's or a staff's eyes, or [] when it cannot tell.
	 */
	private function links( $appointment_id, $audience ) {
		$tenant = 'customer' === $audience ? BKZ_Tenant::of_appointment( $appointment_id ) : BKZ_Tenant::current();
		if ( self::$sidecar_down || null === $tenant ) {
			return array();
		}
		$answer = BKZ_Client::request(
			'GET',
			'/v1/tenant/appointments/' . $appointment_id . '/links?audience=' . $audience,
			null,
			array(
				'tenant'  => $tenant,
				'timeout' => self::PANEL_TIMEOUT,
			)
		);
		if ( is_wp_error( $answer ) ) {
			$data               = $answer->get_error_data();
			self::$sidecar_down = ! is_array( $data ) || ! isset( $data['status'] );
			return array();
		}
		return $answer;
	}

	/**
	 * Who sees and saves the Zoom fields of the modals: the same users as the Zoom settings.
	 */
	private function may_manage_zoom() {
		return Capabilities::userCan( BKZ_Addon::SETTINGS_CAPABILITY );
	}

	private function with_warning( $result, $answer, $what, $id ) {
		if ( is_wp_error( $answer ) ) {
			error_log( sprintf( 'bkz_sidecar_call_failed what=%s id=%d error=%s', $what, (int) $id, $answer->get_error_code() ) );
			/* translators: %s: the Zoom service's error message */
			$result['bkz_warning'] = sprintf( __( 'Saved, but the Zoom setting was not: %s', 'booknetic-zoom' ), $answer->get_error_message() );
		} elseif ( ! empty( $answer['warning'] ) ) {
			// Saved, with something the tenant should know (a Basic host's 40-minute limit).
			$result['bkz_warning'] = (string) $answer['warning'];
		}
		return $result;
	}
}
