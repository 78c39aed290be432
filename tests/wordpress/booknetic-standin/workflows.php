<?php
/**
 * Workflow drivers as Booknetic's add-ons write them: WorkflowDriver::handle($eventData,
 * $actionSettings, $shortCodeService), each replacing shortcodes in its fields separately (email: to,
 * subject, body, attachments; SMS: to and body). What a driver "sends" is kept for the test to read.
 */

namespace BookneticAddon\EmailWorkflow {

	class EmailWorkflowDriver extends \BookneticApp\Providers\Common\WorkflowDriver {

		protected $driver = 'email';

		public static $sent = array();

		public function __construct() {
			$this->setName( bkntc__( 'Send Email' ) );
			$this->setEditAction( 'email_workflow', 'workflow_action_edit_view' );
		}

		public function handle( $eventData, $actionSettings, $shortCodeService ) {
			$data = json_decode( $actionSettings['data'], true );
			if ( empty( $data ) ) {
				return;
			}
			self::$sent[] = array(
				'to'          => $shortCodeService->replace( $data['to'], $eventData ),
				'subject'     => $shortCodeService->replace( $data['subject'], $eventData ),
				'body'        => $shortCodeService->replace( $data['body'], $eventData ),
				'attachments' => $shortCodeService->replace( $data['attachments'], $eventData ),
			);
		}
	}
}

namespace BookneticAddon\SmsWorkflow {

	class SmsWorkflowDriver extends \BookneticApp\Providers\Common\WorkflowDriver {

		protected $driver = 'sms';

		public static $sent = array();

		public function handle( $eventData, $actionSettings, $shortCodeService ) {
			$data = json_decode( $actionSettings['data'], true );
			if ( empty( $data ) ) {
				return;
			}
			self::$sent[] = array(
				'to'   => $shortCodeService->replace( $data['to'], $eventData ),
				'body' => $shortCodeService->replace( $data['body'], $eventData ),
			);
		}
	}
}

namespace {

	/**
	 * A workflow action of this channel run for an appointment (WorkflowEventsManager::trigger calls
	 * the driver with the event's params): the body as the driver sent it.
	 */
	function bkntc_standin_workflow( $id, $channel, $text ) {
		$event  = array( 'appointment_id' => $id, 'location_id' => 0, 'service_id' => 0, 'staff_id' => 0, 'customer_id' => 0 );
		$fields = 'sms' === $channel ? array( 'to' => '+15550100', 'body' => $text ) : array( 'to' => 'john@example.test', 'subject' => 'Your booking', 'body' => $text, 'attachments' => '' );
		$driver = 'sms' === $channel ? new \BookneticAddon\SmsWorkflow\SmsWorkflowDriver() : new \BookneticAddon\EmailWorkflow\EmailWorkflowDriver();
		$driver->handle( $event, array( 'data' => wp_json_encode( $fields ) ), \BookneticApp\Config::getShortCodeService() );
		$sent = 'sms' === $channel ? \BookneticAddon\SmsWorkflow\SmsWorkflowDriver::$sent : \BookneticAddon\EmailWorkflow\EmailWorkflowDriver::$sent;
		return end( $sent )['body'];
	}
}
