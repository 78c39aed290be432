<?php
/**
 * Plugin Name: Zoom inside the booking hook (bench only)
 * Description: bench/booking.py's comparison: a booking's Zoom meeting made inside Booknetic's hook, the
 * way Booknetic's own Zoom add-on does it for a tenant with a Server-to-Server app (booknetic.md section
 * 3): at bkntc_appointment_after_mutation priority 9, a token request (a new one for every meeting, as
 * the add-on's token cache never hits for S2S) and then POST /users/{zoom user}/meetings, both
 * synchronous, then the zoom_meeting_data row ("[]" when Zoom did not answer 201). Written for the bench
 * from that description, not from the add-on's code; only the create path (new bookings) is mirrored.
 * HTTP calls use WordPress's client with its default timeout (5 s): the add-on's own client and timeout
 * are not in the sources we have.
 */

if ( ! defined( 'WPINC' ) ) {
	die;
}

add_action( 'bkntc_appointment_after_mutation', 'bkz_bench_inline_zoom', 9 );

/**
 * bkz_bench_zoom_urls (option): array('oauth' => Zoom's OAuth base, 'api' => its REST base), the emulator's.
 */
function bkz_bench_inline_zoom( $appointment_id ) {
	global $wpdb;
	if ( ! $appointment_id ) {
		return;
	}
	$prefix = $wpdb->base_prefix;
	$appt   = $wpdb->get_row( $wpdb->prepare( "SELECT * FROM {$prefix}bkntc_appointments WHERE id = %d", $appointment_id ) );
	if ( ! $appt || ! in_array( $appt->status, array( 'pending', 'approved' ), true ) ) {
		return;
	}
	$user = json_decode( (string) bkz_bench_data( $appt->tenant_id, 'staff', $appt->staff_id, 'zoom_user' ), true );
	if ( empty( $user['id'] ) || '1' !== bkz_bench_data( $appt->tenant_id, 'services', $appt->service_id, 'activate_zoom' ) ) {
		return;
	}
	$tenant = 'bkntc_t' . (int) $appt->tenant_id . '_';
	$urls   = get_option( 'bkz_bench_zoom_urls' );
	$basic  = base64_encode( get_option( $tenant . 'zoom_client_id' ) . ':' . get_option( $tenant . 'zoom_client_secret' ) );
	$token  = wp_remote_post(
		$urls['oauth'] . '/oauth/token?grant_type=account_credentials&account_id=' . rawurlencode( get_option( $tenant . 'zoom_account_id' ) ),
		array( 'headers' => array( 'Authorization' => 'Basic ' . $basic ) )
	);
	$access  = is_wp_error( $token ) ? '' : ( json_decode( wp_remote_retrieve_body( $token ), true )['access_token'] ?? '' );
	$meeting = array();
	if ( '' !== $access ) {
		$made = wp_remote_post(
			$urls['api'] . '/users/' . rawurlencode( $user['id'] ) . '/meetings',
			array(
				'headers' => array(
					'Authorization' => 'Bearer ' . $access,
					'Content-Type'  => 'application/json',
				),
				'body'    => wp_json_encode(
					array(
						'topic'      => 'Appointment #' . $appt->id,
						'type'       => '2',
						'start_time' => gmdate( 'c', (int) $appt->starts_at ),
						'agenda'     => 'Appointment #' . $appt->id,
						'duration'   => (int) ( ( $appt->ends_at - $appt->starts_at ) / 60 ),
						'password'   => (string) wp_rand( 100000, 999999 ),
					)
				),
			)
		);
		if ( ! is_wp_error( $made ) && 201 === wp_remote_retrieve_response_code( $made ) ) {
			$body    = json_decode( wp_remote_retrieve_body( $made ), true );
			$meeting = array(
				'id'        => $body['id'],
				'join_url'  => $body['join_url'],
				'start_url' => $body['start_url'] ?? '',
				'password'  => $body['password'] ?? '',
			);
		}
	}
	$wpdb->insert(
		$prefix . 'bkntc_data',
		array(
			'table_name' => 'appointments',
			'row_id'     => $appt->id,
			'data_key'   => 'zoom_meeting_data',
			'data_value' => wp_json_encode( $meeting ),
			'tenant_id'  => $appt->tenant_id,
		)
	);
}

function bkz_bench_data( $tenant_id, $table, $row_id, $key ) {
	global $wpdb;
	return $wpdb->get_var(
		$wpdb->prepare(
			"SELECT data_value FROM {$wpdb->base_prefix}bkntc_data WHERE table_name = %s AND row_id = %d AND data_key = %s AND tenant_id = %d ORDER BY id LIMIT 1",
			$table,
			$row_id,
			$key,
			$tenant_id
		)
	);
}
