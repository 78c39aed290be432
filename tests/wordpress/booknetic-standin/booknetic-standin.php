<?php
/**
 * Plugin Name: Booknetic stand-in (tests only)
 * Description: Booknetic is proprietary and not installable in tests. This stand-in creates Booknetic's
 *              tables, runs an add-on's life cycle, draws the panel screens add-ons plug into (Settings,
 *              Edit Staff and Edit Service modals, appointment info, SaaS Settings and Plans, the
 *              customer panel, a workflow's e-mail action) with Booknetic's markup and JS API, and
 *              changes appointments the way Booknetic does, firing its hooks with its arguments and in
 *              its order (booknetic.md sections 4 and 6). Never install it on a real site.
 *
 * Configuration (wp-config.php of the test site):
 *   BKNTC_STANDIN_SCHEMA  path of the Booknetic schema SQL (tables written with the `wp_` prefix)
 *   BKNTC_STANDIN_TOKEN   shared token the test sends with each appointment change
 */

if ( ! defined( 'WPINC' ) ) {
	die;
}

require_once __DIR__ . '/core.php';
require_once __DIR__ . '/modules.php';
require_once __DIR__ . '/workflows.php';
require_once __DIR__ . '/workflow-editor.php';

use BookneticApp\Providers\Core\Capabilities;
use BookneticApp\Providers\Core\Permission;

register_activation_hook( __FILE__, 'bkntc_standin_activate' );
add_action( 'wp_ajax_bkntc_standin', 'bkntc_standin_ajax' );
add_action( 'wp_ajax_nopriv_bkntc_standin', 'bkntc_standin_ajax' );

/**
 * Create Booknetic's tables (with this site's prefix) and the roles Booknetic SaaS adds.
 */
function bkntc_standin_activate() {
	global $wpdb;
	$sql = preg_replace( '/--[^\n]*/', '', (string) file_get_contents( BKNTC_STANDIN_SCHEMA ) );
	foreach ( array_filter( array_map( 'trim', explode( ';', $sql ) ) ) as $statement ) {
		$wpdb->query( str_replace( '`wp_', '`' . $wpdb->base_prefix, $statement ) );
	}
	bkntc_standin_workflow_tables();
	add_role( 'booknetic_saas_tenant', 'Booknetic SaaS tenant', array( 'read' => true ) );
	add_role( 'booknetic_staff', 'Booknetic staff', array( 'read' => true ) );
	add_role( 'booknetic_customer', 'Booknetic customer', array( 'read' => true ) );
}

/*
 * Booknetic's life cycle (Bootstrap::__construct / initApp, Backend::init): add-ons load on
 * plugins_loaded, bkntc_init runs on init, then bkntc_frontend outside wp-admin (and for AJAX), or
 * bkntc_backend / bkntcsaas_backend on the panels, whose requests Booknetic answers itself and exits.
 */
add_action(
	'plugins_loaded',
	function () {
		$GLOBALS['bkntc_standin_addons'] = apply_filters( 'bkntc_addons_load', array() );
	}
);
add_action(
	'init',
	function () {
		Capabilities::register( 'settings', 'Settings' );
		Capabilities::register( 'staff', 'Staff' );
		Capabilities::register( 'services', 'Services' );
		Capabilities::register( 'appointments', 'Appointments' );
		if ( ! Permission::isAdministrator() ) {
			add_filter( 'bkntc_user_capability_filter', 'bkntc_standin_staff_capabilities', 10, 2 );
		}
		add_filter( 'bkntc_tenant_capability_filter', 'bkntc_standin_plan_capabilities', 10, 2 );
		bkntc_standin_core_events_and_shortcodes();
		do_action( 'bkntc_init' );
		do_action( 'bkntcsaas_init' );
		if ( ! is_admin() || wp_doing_ajax() ) {
			do_action( 'bkntc_frontend' );
			do_action( 'bkntcsaas_frontend' );
		}
	},
	10
);
add_action(
	'admin_init',
	function () {
		$page = $_GET['page'] ?? '';
		if ( ! is_user_logged_in() || ! in_array( $page, array( 'booknetic', 'booknetic-saas' ), true ) ) {
			return;
		}
		$saas = 'booknetic-saas' === $page;
		if ( $saas && ! current_user_can( 'manage_options' ) ) {
			wp_die( 'Only the super admin.', 403 );
		}
		do_action( $saas ? 'bkntcsaas_backend' : 'bkntc_backend' );
		bkntc_standin_register_routes( $saas );
		if ( ! empty( $_GET['ajax'] ) ) {
			try {
				$saas ? \BookneticSaaS\Providers\Core\Route::init() : \BookneticApp\Providers\Core\Route::init();
			} catch ( \Exception $e ) {
				echo wp_json_encode( array( 'status' => 'error', 'error_msg' => $e->getMessage() ? $e->getMessage() : 'Page not found or access denied!' ) );
			}
		} else {
			bkntc_standin_page( $saas );
		}
		exit;
	}
);
add_action(
	'admin_menu',
	function () {
		add_menu_page( 'Booknetic', 'Booknetic', 'read', 'booknetic', '__return_null' );
		add_menu_page( 'Booknetic SaaS', 'Booknetic SaaS', 'manage_options', 'booknetic-saas', '__return_null' );
	}
);
add_shortcode( 'booknetic-cp', 'bkntc_standin_customer_panel' );

/**
 * Booknetic's hard-coded rules for staff users (Config::userCapabilityFilter): only these modules.
 */
function bkntc_standin_staff_capabilities( $can, $capability ) {
	$info = Capabilities::get( $capability );
	if ( ! empty( $info['parent'] ) ) {
		$capability = $info['parent'];
	}
	return in_array( $capability, array( 'dashboard', 'appointments', 'calendar', 'customers', 'payments', 'staff' ), true );
}

/**
 * SaaS (Config::tenantCapabilities): a capability is on only when the tenant's plan says "on".
 */
function bkntc_standin_plan_capabilities( $can, $capability ) {
	global $wpdb;
	$tenant = Permission::tenantId();
	if ( ! $can || null === $tenant ) {
		return $can;
	}
	$permissions = $wpdb->get_var( $wpdb->prepare( "SELECT p.permissions FROM {$wpdb->base_prefix}bkntc_tenants t JOIN {$wpdb->base_prefix}bkntc_plans p ON p.id = t.plan_id WHERE t.id = %d", $tenant ) );
	$permissions = json_decode( (string) $permissions, true );
	return 'on' === ( $permissions['capabilities'][ $capability ] ?? 'off' );
}

/**
 * admin-ajax.php?action=bkntc_standin: create / edit / cancel / delete one appointment, or run a
 * workflow action on it.
 *
 * POST: token, op, id (edit/cancel/delete), fields (JSON object of appointment columns: create/edit).
 * Answers {"id": n, "elapsed_ms": n}: how long Booknetic's request took, hooks included.
 * op=workflow (id, channel email|sms, text) runs the channel's driver: {"text": "..."} as it was sent.
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
 * A new booking: AppointmentService::createSingle inserts the row and fires bkntc_appointment_created
 * (an AppointmentRequestData), then LocalPayment fires before_mutation(null) and after_mutation(newId).
 */
function bkntc_standin_create( $fields ) {
	global $wpdb;
	$wpdb->insert( $wpdb->base_prefix . 'bkntc_appointments', $fields + array( 'created_at' => time() ) );
	$id = (int) $wpdb->insert_id;
	do_action(
		'bkntc_appointment_created',
		(object) array(
			'appointmentId'       => $id,
			'createdAppointments' => array( $id ),
		)
	);
	do_action( 'bkntc_appointment_before_mutation', null );
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
 * Delete (AppointmentService::deleteAppointment): before_mutation(id), after_mutation(null) at once,
 * bkntc_appointment_deleted(id), then the row and its `appointments` data rows go.
 */
function bkntc_standin_delete( $id ) {
	global $wpdb;
	do_action( 'bkntc_appointment_before_mutation', $id );
	do_action( 'bkntc_appointment_after_mutation', null );
	do_action( 'bkntc_appointment_deleted', $id );
	$wpdb->delete( $wpdb->base_prefix . 'bkntc_data', array( 'table_name' => 'appointments', 'row_id' => $id ) );
	$wpdb->delete( $wpdb->base_prefix . 'bkntc_appointments', array( 'id' => $id ) );
}
