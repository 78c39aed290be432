<?php
/**
 * The stand-in's panel screens, with Booknetic's markup, selectors and requests where add-ons plug in:
 * Settings (SettingsMenuUI items, the sub item's view loaded by booknetic.ajax into
 * .settings-main-container), Staff and Services lists with their Edit modals (TabUI views, saves posted
 * as FormData through booknetic.ajax and its ajax_{module}.{action} filter), the appointment list with
 * its Info modal, and for SaaS the Settings and the Plans modal (capabilities from
 * Capabilities::getTenantCapabilityList(), saved exactly as posted). The customer panel is
 * booknetic-customer-panel's [booknetic-cp] list; the Workflows module is in workflow-editor.php.
 */

if ( ! defined( 'WPINC' ) ) {
	die;
}

use BookneticApp\Providers\Core\Capabilities;
use BookneticApp\Providers\Core\CapabilitiesException;
use BookneticApp\Providers\Core\Permission;
use BookneticApp\Providers\UI\TabUI;

/**
 * Booknetic's own modules' AJAX routes (registered after the add-ons', as Booknetic's Config does).
 */
function bkntc_standin_register_routes( $saas ) {
	if ( $saas ) {
		\BookneticSaaS\Providers\Core\Route::post( 'plans', 'Bkntc_Standin_Plans' );
		return;
	}
	\BookneticApp\Providers\Core\Route::post( 'staff', 'Bkntc_Standin_Staff' );
	\BookneticApp\Providers\Core\Route::post( 'services', 'Bkntc_Standin_Services' );
	\BookneticApp\Providers\Core\Route::post( 'appointments', 'Bkntc_Standin_Appointments' );
	// The e-mail action add-on's (booknetic-workflow-email registers it in its initBackend).
	\BookneticApp\Providers\Core\Route::post( 'email_workflow', \BookneticAddon\EmailWorkflow\Backend\Ajax::class );
}

/**
 * A full panel page (Booknetic draws its own <html>): the module's list, or the settings menus.
 */
function bkntc_standin_page( $saas ) {
	global $wpdb;
	$module = preg_replace( '/[^a-z_]/', '', (string) ( $_GET['module'] ?? 'dashboard' ) );
	$tenant = Permission::tenantId();
	$p      = $wpdb->base_prefix . 'bkntc_';
	$ajax   = '?page=' . ( $saas ? 'booknetic-saas' : 'booknetic' ) . '&ajax=1';
	?>
<!doctype html>
<html><head><meta charset="utf-8"><title>Booknetic</title>
<link rel="stylesheet" href="<?php echo esc_url( plugins_url( 'assets/booknetic.css', __FILE__ ) ); ?>">
<script src="<?php echo esc_url( includes_url( 'js/jquery/jquery.min.js' ) ); ?>"></script>
<script>var ajaxurl = <?php echo wp_json_encode( $ajax ); ?>, currentModule = <?php echo wp_json_encode( $module ); ?>;</script>
<script src="<?php echo esc_url( plugins_url( 'assets/booknetic.js', __FILE__ ) ); ?>"></script>
	<?php if ( $saas ) : ?>
<script>delete booknetic.addAction; delete booknetic.doAction; // SaaS's own booknetic.js has neither</script>
	<?php endif; ?>
	<?php do_action( $saas ? 'bkntcsaas_enqueue_assets' : 'bkntc_enqueue_assets', $module, 'index', '' ); ?>
</head><body>
<div id="booknetic_panel" data-module="<?php echo esc_attr( $module ); ?>">
	<?php
	if ( 'settings' === $module ) {
		bkntc_standin_settings_page( $saas );
	} elseif ( ! $saas && in_array( $module, array( 'staff', 'services' ), true ) ) {
		$rows = $wpdb->get_results( $wpdb->prepare( "SELECT id, name FROM {$p}{$module} WHERE tenant_id = %d ORDER BY id", $tenant ) );
		bkntc_standin_table( $rows, array( 'edit' ), fn( $r ) => $r->name );
	} elseif ( ! $saas && 'appointments' === $module ) {
		$rows = $wpdb->get_results( $wpdb->prepare( "SELECT id, starts_at FROM {$p}appointments WHERE tenant_id = %d ORDER BY id", $tenant ) );
		bkntc_standin_table( $rows, array( 'info' ), fn( $r ) => gmdate( 'Y-m-d H:i', (int) $r->starts_at ) );
	} elseif ( ! $saas && 'workflow' === $module ) {
		bkntc_standin_workflow_page();
	} elseif ( $saas && 'plans' === $module ) {
		bkntc_standin_table( $wpdb->get_results( "SELECT id, name FROM {$p}plans ORDER BY id" ), array( 'edit' ), fn( $r ) => $r->name );
	}
	?>
</div>
</body></html>
	<?php
}

/**
 * Booknetic's data table: one tr[data-id] per row, its "..." menu items as .datatable_action_btn.
 */
function bkntc_standin_table( $rows, $actions, $label ) {
	echo '<table id="fs_data_table_div"><tbody>';
	foreach ( $rows as $row ) {
		printf( '<tr data-id="%d"><td>%s</td><td>', (int) $row->id, esc_html( $label( $row ) ) );
		foreach ( $actions as $action ) {
			printf( '<span class="datatable_action_btn" data-action="%1$s">%1$s</span>', esc_attr( $action ) );
		}
		echo '</td></tr>';
	}
	echo '</tbody></table>';
}

/**
 * Settings: the menus add-ons extend. A sub item's data-view is "route.action", loaded by booknetic.ajax.
 */
function bkntc_standin_settings_page( $saas ) {
	if ( ! $saas ) {
		try {
			Capabilities::must( 'settings' );
		} catch ( CapabilitiesException $e ) {
			echo '<div class="access-denied">' . esc_html( $e->getMessage() ) . '</div>';
			return;
		}
	}
	$menu_ui = $saas ? '\BookneticSaaS\Providers\UI\SettingsMenuUI' : '\BookneticApp\Providers\UI\SettingsMenuUI';
	$menu_ui::get( 'integrations' )->setTitle( 'Integrations settings' );
	if ( $saas ) {
		$menu_ui::get( 'integrations' )->subItem( 'integrations_facebook_api_settings' )->setTitle( 'Continue with Facebook' )->setPriority( 1 );
	} else {
		$menu_ui::get( 'integrations' )->requireSubItems();
	}
	echo '<div class="settings-left-menu"><div class="service_categories_list">';
	foreach ( $menu_ui::getItems() as $menu ) {
		if ( $menu->isSubItemsRequired() && empty( $menu->getSubItems() ) ) {
			continue;
		}
		printf( '<div class="settings_menu" data-view="%s"><div class="sc-title">%s</div><div class="settings_submenus">', esc_attr( $menu->getSlug() ), esc_html( $menu->getTitle() ) );
		foreach ( $menu->getSubItems() as $sub ) {
			printf( '<div data-view="%s">%s</div>', esc_attr( $sub->getSlug() ), esc_html( $sub->getTitle() ) );
		}
		echo '</div></div>';
	}
	echo '</div></div>';
	foreach ( $menu_ui::getItems() as $menu ) {
		if ( ! $menu->isSubItemsRequired() || ! empty( $menu->getSubItems() ) ) {
			printf( '<div class="settings-chart" data-view="%s"><div class="settings-title">%s</div></div>', esc_attr( $menu->getSlug() ), esc_html( $menu->getTitle() ) );
		}
	}
	echo '<div class="settings-main-container"></div>';
	printf( '<script src="%s" id="settingsJS" data-goto="%s"></script>', esc_url( plugins_url( 'assets/settings.js', __FILE__ ) ), esc_attr( (string) ( $_GET['setting'] ?? '' ) ) );
}

/**
 * What Controller::modalView answers: the view (with bkntc_enqueue_assets output, as Booknetic's
 * view() prints it) HTML-escaped under "html".
 */
function bkntc_standin_modal( $saas, $module, $action, $title, $body, $footer ) {
	ob_start();
	do_action( $saas ? 'bkntcsaas_enqueue_assets' : 'bkntc_enqueue_assets', $module, $action, __FILE__ );
	printf( '<div class="fs-modal-title"><div class="title-text">%s</div></div>', esc_html( $title ) );
	echo '<div class="fs-modal-body"><div class="fs-modal-body-inner">' . $body . '</div></div>';
	echo '<div class="fs-modal-footer">' . $footer . '</div>';
	return array(
		'status' => 'ok',
		'html'   => htmlspecialchars( ob_get_clean() ),
	);
}

/**
 * A modal's tabs from TabUI, as Booknetic's staff and service modals draw them.
 */
function bkntc_standin_tabs( $tab, $parameters ) {
	$html = '<ul class="nav nav-tabs" data-tab-group="' . esc_attr( $tab ) . '">';
	foreach ( TabUI::get( $tab )->getSubItems() as $item ) {
		$html .= '<li class="nav-item"><a class="nav-link" data-tab="' . esc_attr( $item->getSlug() ) . '" href="#">' . esc_html( $item->getTitle() ) . '</a></li>';
	}
	$html .= '</ul><div class="tab-content">';
	foreach ( TabUI::get( $tab )->getSubItems() as $item ) {
		$html .= '<div class="tab-pane" id="tab_' . esc_attr( $item->getSlug() ) . '">' . $item->getContent( $parameters ) . '</div>';
	}
	return $html . '</div>';
}

/** Staff module: the Edit Staff modal and its save (StaffObject reduced to the name). */
class Bkntc_Standin_Staff {
	public $modulesDir;
	public $prefix;

	public function add_new() {
		global $wpdb;
		Capabilities::must( 'staff' );
		$id    = (int) ( $_POST['id'] ?? 0 );
		$staff = $wpdb->get_row( $wpdb->prepare( "SELECT * FROM {$wpdb->base_prefix}bkntc_staff WHERE id = %d AND tenant_id = %d", $id, Permission::tenantId() ), ARRAY_A );
		TabUI::get( 'staff_add' )->item( 'details' )->setTitle( 'STAFF DETAILS' )->addView( __DIR__ . '/views/staff-details.php', array(), 1 )->setPriority( 1 );
		$parameters = array(
			'id'    => $id,
			'staff' => $staff,
		);
		return bkntc_standin_modal(
			false,
			'staff',
			'add_new',
			$id ? 'Edit Staff' : 'Add Staff',
			'<form id="addStaffForm">' . bkntc_standin_tabs( 'staff_add', $parameters ) . '</form>',
			'<button type="button" class="btn" data-dismiss="modal">CANCEL</button><button type="button" class="btn btn-primary" id="addStaffSave">SAVE STAFF</button>'
		);
	}

	public function save_staff() {
		global $wpdb;
		Capabilities::must( 'staff' );
		$id = (int) ( $_POST['id'] ?? 0 );
		$wpdb->update( $wpdb->base_prefix . 'bkntc_staff', array( 'name' => sanitize_text_field( wp_unslash( $_POST['name'] ?? '' ) ) ), array( 'id' => $id, 'tenant_id' => Permission::tenantId() ) );
		return array(
			'status'   => 'ok',
			'is_edit'  => $id > 0,
			'staff_id' => $id,
		);
	}
}

/** Services module: the Edit Service modal and its save (ServiceObject reduced to the name). */
class Bkntc_Standin_Services {
	public $modulesDir;
	public $prefix;

	public function add_new() {
		global $wpdb;
		Capabilities::must( 'services' );
		$id      = (int) ( $_POST['id'] ?? 0 );
		$service = $wpdb->get_row( $wpdb->prepare( "SELECT * FROM {$wpdb->base_prefix}bkntc_services WHERE id = %d AND tenant_id = %d", $id, Permission::tenantId() ), ARRAY_A );
		TabUI::get( 'services_add' )->item( 'details' )->setTitle( 'SERVICE DETAILS' )->addView( __DIR__ . '/views/service-details.php', array(), 1 )->setPriority( 1 );
		$parameters = array(
			'id'      => $id,
			'service' => $service,
		);
		return bkntc_standin_modal(
			false,
			'services',
			'add_new',
			$id ? 'Edit Service' : 'Add Service',
			'<form id="addServiceForm">' . bkntc_standin_tabs( 'services_add', $parameters ) . '</form>',
			'<button type="button" class="btn" data-dismiss="modal">CANCEL</button><button type="button" class="btn btn-primary" id="addServiceSave">SAVE</button>'
		);
	}

	public function save_service() {
		global $wpdb;
		Capabilities::must( 'services' );
		$id = (int) ( $_POST['id'] ?? 0 );
		$wpdb->update( $wpdb->base_prefix . 'bkntc_services', array( 'name' => sanitize_text_field( wp_unslash( $_POST['name'] ?? '' ) ) ), array( 'id' => $id, 'tenant_id' => Permission::tenantId() ) );
		return array(
			'status' => 'ok',
			'id'     => $id,
		);
	}
}

/** Appointments module: the Info modal (its footer: DELETE, EDIT, CLOSE). */
class Bkntc_Standin_Appointments {
	public $modulesDir;
	public $prefix;

	public function info() {
		global $wpdb;
		Capabilities::must( 'appointments' );
		$id  = (int) ( $_POST['id'] ?? 0 );
		$row = $wpdb->get_row( $wpdb->prepare( "SELECT id, starts_at FROM {$wpdb->base_prefix}bkntc_appointments WHERE id = %d AND tenant_id = %d", $id, Permission::tenantId() ) );
		if ( ! $row ) {
			return array( 'status' => 'error', 'error_msg' => 'Appointment not found!' );
		}
		return bkntc_standin_modal(
			false,
			'appointments',
			'info',
			'Appointment info',
			'<div class="appointment-id">#' . (int) $row->id . '</div>',
			'<button type="button" class="btn btn-danger delete-btn">DELETE</button><button type="button" class="btn btn-primary">EDIT</button><button type="button" class="btn" data-dismiss="modal">CLOSE</button>'
		);
	}
}

/** SaaS Plans module: the edit modal's Permissions tab and save_plan, which keeps exactly what was posted. */
class Bkntc_Standin_Plans {
	public $modulesDir;
	public $prefix;

	public function add_new() {
		global $wpdb;
		$id          = (int) ( $_POST['id'] ?? 0 );
		$permissions = json_decode( (string) $wpdb->get_var( $wpdb->prepare( "SELECT permissions FROM {$wpdb->base_prefix}bkntc_plans WHERE id = %d", $id ) ), true );
		$body        = '<div data-tab="capabilities">';
		foreach ( Capabilities::getTenantCapabilityList() as $slug => $capability ) {
			$on    = 'on' === ( $permissions['capabilities'][ $slug ] ?? 'off' );
			$body .= sprintf(
				'<div class="form-control-checkbox"><label for="input_permission_%1$s">%2$s</label><input type="checkbox" class="permission" id="input_permission_%1$s" data-permission="%1$s"%3$s></div>',
				esc_attr( $slug ),
				esc_html( $capability['title'] ),
				$on ? ' checked' : ''
			);
		}
		return bkntc_standin_modal( true, 'plans', 'add_new', 'Edit plan', $body . '</div><input type="hidden" id="plan_id" value="' . $id . '">', '<button type="button" class="btn btn-primary" id="addPlanSave">SAVE</button>' );
	}

	public function save_plan() {
		global $wpdb;
		$id          = (int) ( $_POST['id'] ?? 0 );
		$posted      = json_decode( wp_unslash( (string) ( $_POST['capabilities'] ?? '{}' ) ), true );
		$permissions = json_decode( (string) $wpdb->get_var( $wpdb->prepare( "SELECT permissions FROM {$wpdb->base_prefix}bkntc_plans WHERE id = %d", $id ) ), true );
		$permissions['capabilities'] = is_array( $posted ) ? $posted : array();
		$wpdb->update( $wpdb->base_prefix . 'bkntc_plans', array( 'permissions' => wp_json_encode( $permissions ) ), array( 'id' => $id ) );
		return array( 'status' => 'ok' );
	}
}

/**
 * booknetic-customer-panel's [booknetic-cp]: the signed-in customer's appointments, each row running
 * bkntc_customer_panel_appointment_actions($appointmentId) in its actions cell.
 */
function bkntc_standin_customer_panel() {
	global $wpdb;
	if ( ! is_user_logged_in() ) {
		return '';
	}
	$p    = $wpdb->base_prefix . 'bkntc_';
	$rows = $wpdb->get_results( $wpdb->prepare( "SELECT a.id FROM {$p}appointments a JOIN {$p}customers c ON c.id = a.customer_id WHERE c.user_id = %d ORDER BY a.id", get_current_user_id() ) );
	ob_start();
	echo '<table class="booknetic_appointments_table"><tbody>';
	foreach ( $rows as $row ) {
		printf( '<tr data-id="%d"><td class="pl-4">%d</td><td>', (int) $row->id, (int) $row->id );
		do_action( 'bkntc_customer_panel_appointment_actions', (int) $row->id );
		echo '</td></tr>';
	}
	echo '</tbody></table>';
	return ob_get_clean();
}
