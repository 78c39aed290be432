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
	 * The current request's tenant id as Booknetic resolves it, or null (no tenant, or no Booknetic).
	 */
	public static function current() {
		if ( ! is_callable( array( '\BookneticApp\Providers\Core\Permission', 'tenantId' ) ) ) {
			return null;
		}
		$tenant = \BookneticApp\Providers\Core\Permission::tenantId();
		return null === $tenant || '' === $tenant ? null : (int) $tenant;
	}

	/**
	 * The tenant an appointment row belongs to, or null when the row is gone or has none.
	 *
	 * Called only from Booknetic's own hooks and screens, so Booknetic's table exists.
	 */
	public static function of_appointment( $appointment_id ) {
		global $wpdb;
		$tenant = $wpdb->get_var( $wpdb->prepare( "SELECT tenant_id FROM {$wpdb->base_prefix}bkntc_appointments WHERE id = %d", $appointment_id ) );
		return null === $tenant ? null : (int) $tenant;
	}
}
