<?php
/**
 * Booknetic's appointment hooks -> one durable sync job per appointment, then a best-effort ping.
 *
 * The job row is written in WordPress's own database before anything else, so a booking is never
 * blocked or lost when the sidecar is slow or down (SPEC section 7).
 */

if ( ! defined( 'WPINC' ) ) {
	die;
}

class BKZ_Jobs {

	const PING_TIMEOUT = 2;

	/** Without our job row the ping's own upsert is the only record of the job: give it longer. */
	const UNRECORDED_PING_TIMEOUT = 10;

	/** @var array<int,int> appointment id => tenant id, remembered at before_mutation for deletes. */
	private $before = array();

	/** @var int|null the id seen by the last before_mutation (a delete's after_mutation gets null). */
	private $last_before_id = null;

	/**
	 * Remember the appointment (and its tenant) before Booknetic changes or deletes it.
	 */
	public function before_mutation( $appointment_id = null ) {
		$this->last_before_id = $appointment_id ? (int) $appointment_id : null;
		if ( $this->last_before_id ) {
			$this->before[ $this->last_before_id ] = BKZ_Tenant::of_appointment( $this->last_before_id );
		}
	}

	/**
	 * Enqueue "sync appointment N" and ping the sidecar; never fails the booking.
	 */
	public function after_mutation( $appointment_id = null ) {
		$id = $appointment_id ? (int) $appointment_id : $this->last_before_id;
		$this->last_before_id = null;
		if ( ! $id ) {
			return;
		}
		$tenant = BKZ_Tenant::of_appointment( $id );
		if ( null === $tenant && isset( $this->before[ $id ] ) ) {
			$tenant = $this->before[ $id ];
		}
		unset( $this->before[ $id ] );
		if ( null === $tenant ) {
			error_log( sprintf( 'bkz_job_skipped_no_tenant appointment=%d', $id ) );
			return;
		}
		$recorded = $this->enqueue( $tenant, $id );
		// The sidecar is told how long we wait: it answers by then and leaves the rest to its worker.
		$timeout = $recorded ? self::PING_TIMEOUT : self::UNRECORDED_PING_TIMEOUT;
		BKZ_Client::request(
			'POST',
			'/v1/tenant/appointments/' . $id . '/sync',
			array( 'timeout' => $timeout ),
			array(
				'tenant'  => $tenant,
				'timeout' => $timeout,
			)
		);
	}

	/**
	 * Upsert the job row; a repeated hook bumps its version so a leased job runs again.
	 *
	 * This is the sidecar's own statement (sidecar/store/jobs.py enqueue_sync; a test keeps the two
	 * equal), run here so the job is recorded before anything else. Times are UTC explicitly: the column
	 * defaults follow the session time zone, which WordPress leaves at the server's. If our tables are
	 * missing (`booknetic-zoom migrate` never ran), the ping that follows still reaches the sidecar,
	 * and administrators are told to migrate.
	 */
	private function enqueue( $tenant, $appointment_id ) {
		global $wpdb;
		$suppressed = $wpdb->suppress_errors( true );
		$ok         = $wpdb->query(
			$wpdb->prepare(
				"INSERT INTO {$wpdb->base_prefix}bkntc_zoom_jobs (tenant_id, appointment_id, run_after, created_at) VALUES (%d, %d, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))
				 ON DUPLICATE KEY UPDATE version = version + 1, attempts = 0, run_after = UTC_TIMESTAMP(6), last_error = NULL",
				$tenant,
				$appointment_id
			)
		);
		$wpdb->suppress_errors( $suppressed );
		if ( false === $ok ) {
			error_log( sprintf( 'bkz_job_enqueue_failed tenant=%d appointment=%d error=%s', $tenant, $appointment_id, $wpdb->last_error ) );
			BKZ_Notices::jobs_table_failed( $wpdb->last_error );
		} else {
			BKZ_Notices::jobs_table_ok();
		}
		return false !== $ok;
	}
}
