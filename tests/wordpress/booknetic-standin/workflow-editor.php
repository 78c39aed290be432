<?php
/**
 * Booknetic's workflow editor as far as a tenant reaches an e-mail action's shortcodes, mirroring
 * booknetic/app/Backend/Workflow (Controller index and edit, view/edit.php, view/modal/
 * action_list_view.php, assets/js/workflow.js) and booknetic-workflow-email (App/Backend/Ajax.php
 * workflow_action_edit_view, App/Backend/view/workflow_action_edit.php, assets/js/
 * workflow_action_edit.js), plus the core event and shortcodes it offers (Config::
 * registerCoreWorkflowEvents, registerCoreShortCodes, a few of them). Workflows and their actions are
 * rows of bkntc_workflows and bkntc_workflow_actions, as Booknetic stores them.
 */

namespace BookneticAddon\EmailWorkflow\Backend {

	use BookneticApp\Config;
	use BookneticApp\Providers\Core\Permission;

	/** The e-mail action's edit modal, reduced to the body: its editor's keywords are the event's shortcodes. */
	class Ajax {
		public $modulesDir;
		public $prefix;

		public function workflow_action_edit_view() {
			global $wpdb;
			$p      = $wpdb->base_prefix . 'bkntc_';
			$action = $wpdb->get_row( $wpdb->prepare( "SELECT a.id, a.data, w.`when` FROM {$p}workflow_actions a JOIN {$p}workflows w ON w.id = a.workflow_id WHERE a.id = %d AND w.tenant_id = %d", (int) ( $_POST['id'] ?? 0 ), Permission::tenantId() ) );
			if ( ! $action ) {
				return array( 'status' => 'error' );
			}
			$data      = json_decode( (string) $action->data, true );
			$available = Config::getWorkflowEventsManager()->get( $action->when )->getAvailableParams();
			ob_start();
			?>
<script>
var workflow_email_action_all_shortcodes = <?php echo wp_json_encode( Config::getShortCodeService()->getShortCodesList( $available ) ); ?>;
var workflow_email_action_all_shortcodes_obj = {};
workflow_email_action_all_shortcodes.forEach(function (value) { workflow_email_action_all_shortcodes_obj[value.code] = value.name; });
</script>
<script src="<?php echo esc_url( plugins_url( 'assets/summernote.js', __FILE__ ) ); ?>"></script>
<form id="editWorkflowActionForm">
	<label for="input_body">Body</label><textarea class="form-control" id="input_body"><?php echo esc_textarea( $data['body'] ?? '' ); ?></textarea>
</form>
<script>booknetic.summernote(jQuery("#input_body"), [], workflow_email_action_all_shortcodes_obj); // as workflow_action_edit.js does</script>
			<?php
			return bkntc_standin_modal( false, 'email_workflow', 'workflow_action_edit_view', 'Edit action', ob_get_clean(), '<button type="button" class="btn" data-dismiss="modal">CANCEL</button>' );
		}
	}
}

namespace {

	use BookneticApp\Config;
	use BookneticApp\Providers\Core\Permission;

	/** Booknetic's tables for workflows (the real installer's are in real-booknetic/extra_tables.sql). */
	function bkntc_standin_workflow_tables() {
		global $wpdb;
		$p = $wpdb->base_prefix . 'bkntc_';
		$wpdb->query( "CREATE TABLE IF NOT EXISTS `{$p}workflows` (`id` INT NOT NULL AUTO_INCREMENT, `name` VARCHAR(255) NOT NULL DEFAULT '', `when` VARCHAR(255) NULL, `data` LONGTEXT NULL, `is_active` TINYINT(1) NOT NULL DEFAULT 1, `tenant_id` INT NULL, PRIMARY KEY (`id`))" );
		$wpdb->query( "CREATE TABLE IF NOT EXISTS `{$p}workflow_actions` (`id` INT NOT NULL AUTO_INCREMENT, `workflow_id` INT NOT NULL, `driver` VARCHAR(100) NOT NULL DEFAULT '', `data` LONGTEXT NULL, `is_active` TINYINT(1) NOT NULL DEFAULT 1, PRIMARY KEY (`id`))" );
	}

	/** Booknetic's core registers its events and shortcodes before any add-on's init. */
	function bkntc_standin_core_events_and_shortcodes() {
		Config::getWorkflowEventsManager()->get( 'booking_new' )
			->setTitle( bkntc__( 'New booking' ) )
			->setEditAction( 'workflow_events', 'event_new_booking' )
			->setAvailableParams( array( 'appointment_id', 'location_id', 'service_id', 'staff_id', 'customer_id' ) );
		$shortcodes = array(
			'appointment_id'     => array( 'Appointment ID', 'appointment_info', 'appointment_id' ),
			'appointment_date'   => array( 'Appointment date', 'appointment_info', 'appointment_id' ),
			'customer_full_name' => array( 'Customer full name', 'customer_info', 'customer_id' ),
		);
		foreach ( $shortcodes as $code => list( $name, $category, $depends ) ) {
			Config::getShortCodeService()->registerShortCode(
				$code,
				array(
					'name'     => bkntc__( $name ),
					'category' => $category,
					'depends'  => $depends,
				)
			);
		}
	}

	/**
	 * module=workflow: the Workflows list (its Edit button opens a workflow), or with action=edit the
	 * workflow's When and Do this cards, each action's Edit loading the driver's edit modal.
	 */
	function bkntc_standin_workflow_page() {
		global $wpdb;
		$p      = $wpdb->base_prefix . 'bkntc_';
		$events = Config::getWorkflowEventsManager();
		echo '<script src="' . esc_url( plugins_url( 'assets/workflow.js', __FILE__ ) ) . '"></script>';
		if ( 'edit' !== ( $_GET['action'] ?? '' ) ) {
			$rows = $wpdb->get_results( $wpdb->prepare( "SELECT id, name, `when` FROM {$p}workflows WHERE tenant_id = %d ORDER BY id", Permission::tenantId() ) );
			bkntc_standin_table( $rows, array(), fn( $r ) => $r->name . ' (' . $events->get( $r->when )->getTitle() . ')' );
			return;
		}
		$workflow = $wpdb->get_row( $wpdb->prepare( "SELECT id, `when` FROM {$p}workflows WHERE id = %d AND tenant_id = %d", (int) ( $_GET['workflow_id'] ?? 0 ), Permission::tenantId() ) );
		if ( ! $workflow ) {
			return;
		}
		printf( '<div class="workflow_card"><h6 class="workflow_card--label">When</h6><div class="workflow_card--group"><span>%s</span></div></div>', esc_html( $events->get( $workflow->when )->getTitle() ) );
		echo '<div class="workflow_card workflow_card--edit"><div class="workflow_card--label">Do this</div><div class="workflow_action_list">';
		$drivers = array( 'email' => new \BookneticAddon\EmailWorkflow\EmailWorkflowDriver() );
		foreach ( $wpdb->get_results( $wpdb->prepare( "SELECT id, driver FROM {$p}workflow_actions WHERE workflow_id = %d", $workflow->id ) ) as $action ) {
			if ( isset( $drivers[ $action->driver ] ) ) {
				printf( '<div class="workflow_card--group"><span>%s</span><button data-load-modal="%s" data-parameter-id="%d">Edit</button></div>', esc_html( $drivers[ $action->driver ]->getName() ), esc_attr( $drivers[ $action->driver ]->getEditAction() ), (int) $action->id );
			}
		}
		echo '</div></div>';
	}
}
