<?php
/**
 * The shim's admin notices: Booknetic is not active, or our tables are missing.
 */

if ( ! defined( 'WPINC' ) ) {
	die;
}

class BKZ_Notices {

	/** Option set when a job row could not be written (usually: `booknetic-zoom migrate` never ran). */
	const JOBS_FAILED_OPTION = 'bkz_jobs_table_error';

	/**
	 * admin_notices: one notice per problem, to the people who can fix it.
	 */
	public static function render() {
		if ( ! class_exists( '\BookneticApp\Providers\Core\AddonLoader' ) ) {
			if ( current_user_can( 'activate_plugins' ) ) {
				printf(
					'<div class="notice notice-error bkz-notice-no-booknetic"><p>%s</p></div>',
					esc_html__( 'Booknetic Zoom is a Booknetic add-on: activate Booknetic (and Booknetic SaaS) to use it. Until then it does nothing.', 'booknetic-zoom' )
				);
			}
			return;
		}
		$error = get_option( self::JOBS_FAILED_OPTION, '' );
		if ( '' !== $error && current_user_can( 'manage_options' ) ) {
			printf(
				'<div class="notice notice-error bkz-notice-migrate"><p>%s</p><p><code>%s</code></p></div>',
				esc_html__( 'Booknetic Zoom could not record a booking\'s Zoom job in its table; the sidecar was asked directly instead. Run "booknetic-zoom migrate" on the sidecar\'s host to create its tables.', 'booknetic-zoom' ),
				esc_html( $error )
			);
		}
	}

	/**
	 * Remember that the jobs table refused a write, for the notice above (cleared by a later success).
	 */
	public static function jobs_table_failed( $error ) {
		update_option( self::JOBS_FAILED_OPTION, substr( (string) $error, 0, 300 ), false );
	}

	/**
	 * A job row was written: the problem, if there was one, is gone.
	 */
	public static function jobs_table_ok() {
		if ( '' !== get_option( self::JOBS_FAILED_OPTION, '' ) ) {
			delete_option( self::JOBS_FAILED_OPTION );
		}
	}
}
