<?php
/**
 * Which tenant a signed call speaks for (SPEC section 4: the X-BKZ-Tenant header).
 */

if ( ! defined( 'WPINC' ) ) {
	die;
}

class BKZ_Tenant {

	const PLATFORM = 'platform';

	/**
	 * The logged-in user's tenant id, or null when the user belongs to no tenant.
	 *
	 * Booknetic's own resolver wins when Booknetic is loaded; otherwise the same order it uses for
	 * logged-in users: the tenant the user owns, then the tenant of the user's staff row.
	 */
	public static function current() {
		static $resolved = array();
		$user_id = get_current_user_id();
		if ( array_key_exists( $user_id, $resolved ) ) {
			return $resolved[ $user_id ];
		}
		$tenant = null;
		if ( is_callable( array( '\BookneticApp\Providers\Core\Permission', 'tenantId' ) ) ) {
			$tenant = \BookneticApp\Providers\Core\Permission::tenantId();
		} elseif ( $user_id ) {
			global $wpdb;
			$tenant = $wpdb->get_var( $wpdb->prepare( "SELECT id FROM {$wpdb->base_prefix}bkntc_tenants WHERE user_id = %d", $user_id ) );
			if ( null === $tenant ) {
				$tenant = $wpdb->get_var( $wpdb->prepare( "SELECT tenant_id FROM {$wpdb->base_prefix}bkntc_staff WHERE user_id = %d", $user_id ) );
			}
		}
		$resolved[ $user_id ] = null === $tenant || '' === $tenant ? null : (int) $tenant;
		return $resolved[ $user_id ];
	}

	/**
	 * The tenant an appointment row belongs to, or null when the row is gone or has none.
	 */
	public static function of_appointment( $appointment_id ) {
		global $wpdb;
		$tenant = $wpdb->get_var( $wpdb->prepare( "SELECT tenant_id FROM {$wpdb->base_prefix}bkntc_appointments WHERE id = %d", $appointment_id ) );
		return null === $tenant ? null : (int) $tenant;
	}
}
