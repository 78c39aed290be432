<?php
/**
 * Plugin Name: Booknetic stand-in (tests only)
 * Description: Booknetic is proprietary and not installable in tests. This stand-in creates Booknetic's
 *              tables and changes appointments the way Booknetic does, firing Booknetic's hooks with
 *              Booknetic's arguments and in its order (booknetic.md section 4), so the shim is
 *              exercised where it will live. Never install it on a real site.
 *
 * Configuration (wp-config.php of the test site):
 *   BKNTC_STANDIN_SCHEMA  path of the Booknetic schema SQL (tables written with the `wp_` prefix)
 *   BKNTC_STANDIN_TOKEN   shared token the test sends with each appointment change
 */

if ( ! defined( 'WPINC' ) ) {
	die;
}

require_once __DIR__ . '/shortcodes.php';

register_activation_hook( __FILE__, 'bkntc_standin_activate' );
add_action( 'wp_ajax_bkntc_standin', 'bkntc_standin_ajax' );
add_action( 'wp_ajax_nopriv_bkntc_standin', 'bkntc_standin_ajax' );
add_action( 'wp_ajax_bkntc_standin_save', 'bkntc_standin_save' );

/**
 * Create Booknetic's tables (with this site's prefix) and the SaaS tenant role.
 */
function bkntc_standin_activate() {
	global $wpdb;
	$sql = preg_replace( '/--[^\n]*/', '', (string) file_get_contents( BKNTC_STANDIN_SCHEMA ) );
	foreach ( array_filter( array_map( 'trim', explode( ';', $sql ) ) ) as $statement ) {
		$wpdb->query( str_replace( '`wp_', '`' . $wpdb->base_prefix, $statement ) );
	}
	add_role( 'booknetic_saas_tenant', 'Booknetic SaaS tenant', array( 'read' => true ) );
}

/**
 * admin-ajax.php?action=bkntc_standin: create / edit / cancel / delete one appointment.
 *
 * POST: token, op, id (edit/cancel/delete), fields (JSON object of appointment columns: create/edit).
 * Answers {"id": n, "elapsed_ms": n}: how long Booknetic's request took, hooks included.
 * op=workflow (id, channel email|sms, text) runs a workflow driver's replace: {"text": "..."}.
 */
function bkntc_standin_ajax() {
	if ( ! hash_equals( BKNTC_STANDIN_TOKEN, (string) ( $_POST['token'] ?? '' ) ) ) {
		wp_send_json( array( 'error' => 'bad token' ), 403 );
	}
	$started = microtime( true );
	$fields  = json_decode( wp_unslash( $_POST['fields'] ?? '{}' ), true );
	$id      = (int) ( $_POST['id'] ?? 0 );
	switch ( $_POST['op'] ?? '' ) {
		case 'create':
			$id = bkntc_standin_create( (array) $fields );
			break;
		case 'edit':
			bkntc_standin_update( $id, (array) $fields );
			break;
		case 'cancel':
			bkntc_standin_update( $id, array( 'status' => 'canceled' ) );
			break;
		case 'delete':
			bkntc_standin_delete( $id );
			break;
		case 'workflow':
			wp_send_json( array( 'text' => bkntc_standin_workflow( $id, (string) ( $_POST['channel'] ?? '' ), wp_unslash( (string) ( $_POST['text'] ?? '' ) ) ) ) );
			break;
		default:
			wp_send_json( array( 'error' => 'unknown op' ), 400 );
	}
	wp_send_json(
		array(
			'id'         => $id,
			'elapsed_ms' => (int) round( ( microtime( true ) - $started ) * 1000 ),
		)
	);
}

/**
 * A new booking: the row is inserted, then before_mutation(null) and after_mutation(newId) fire
 * (LocalPayment / PaymentGatewayService), with bkntc_appointment_created in between.
 */
function bkntc_standin_create( $fields ) {
	global $wpdb;
	$wpdb->insert( $wpdb->base_prefix . 'bkntc_appointments', $fields + array( 'created_at' => time() ) );
	$id = (int) $wpdb->insert_id;
	do_action( 'bkntc_appointment_before_mutation', null );
	do_action( 'bkntc_appointment_created', (object) array( 'appointmentId' => $id ) );
	do_action( 'bkntc_appointment_after_mutation', $id );
	return $id;
}

/**
 * Edit, reschedule or status change: both hooks get the id, around the UPDATE.
 */
function bkntc_standin_update( $id, $fields ) {
	global $wpdb;
	do_action( 'bkntc_appointment_before_mutation', $id );
	$wpdb->update( $wpdb->base_prefix . 'bkntc_appointments', $fields, array( 'id' => $id ) );
	do_action( 'bkntc_appointment_after_mutation', $id );
}

/**
 * Delete: before_mutation(id), bkntc_appointment_deleted(id) while the row exists, the row and its
 * `appointments` data rows go, then after_mutation(null).
 */
function bkntc_standin_delete( $id ) {
	global $wpdb;
	do_action( 'bkntc_appointment_before_mutation', $id );
	do_action( 'bkntc_appointment_deleted', $id );
	$wpdb->delete( $wpdb->base_prefix . 'bkntc_data', array( 'table_name' => 'appointments', 'row_id' => $id ) );
	$wpdb->delete( $wpdb->base_prefix . 'bkntc_appointments', array( 'id' => $id ) );
	do_action( 'bkntc_appointment_after_mutation', null );
}

/**
 * admin-ajax.php?action=bkntc_standin_save (signed-in users): Booknetic's staff or service save.
 *
 * POST: module (staff|services), id, and the form's other fields. Booknetic answers the AJAX save
 * through its generic filter bkntc_after_request_{module}_{action}, whose result carries `staff_id`
 * for staff and `id` for services (AbstractRoute). Booknetic's own nonce check is not reproduced.
 */
function bkntc_standin_save() {
	$id     = (int) ( $_POST['id'] ?? 0 );
	$module = 'staff' === ( $_POST['module'] ?? '' ) ? 'staff' : 'services';
	$result = 'staff' === $module
		? array( 'status' => 'ok', 'staff_id' => $id )
		: array( 'status' => 'ok', 'id' => $id );
	$action = 'staff' === $module ? 'save_staff' : 'save_service';
	wp_send_json( apply_filters( "bkntc_after_request_{$module}_{$action}", $result ) );
}

/**
 * A workflow action of this channel expanding its text for an appointment, as Booknetic's drivers do.
 */
function bkntc_standin_workflow( $id, $channel, $text ) {
	$driver = 'sms' === $channel ? new \BookneticAddon\SmsWorkflow\SmsWorkflowDriver() : new \BookneticAddon\EmailWorkflow\EmailWorkflowDriver();
	$data   = array( 'appointment_id' => $id );
	return $driver->handle( $text, $data, \BookneticApp\Config::getShortCodeService() );
}
