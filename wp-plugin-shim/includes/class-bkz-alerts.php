<?php
/**
 * Failure alerts (a Zoom connection that needs reconnecting, a meeting that failed for good) reach the
 * tenant without looking. The sidecar decides when (each kind at most once a day per tenant); on WordPress
 * cron the shim claims the alerts and fires each as a Booknetic workflow event, so tenants route it by
 * email, SMS or Telegram like everything else. Where Booknetic has no workflow events manager to register
 * them with, the tenant owner gets an email through wp_mail instead.
 */

if ( ! defined( 'WPINC' ) ) {
	die;
}

class BKZ_Alerts {

	const CRON_HOOK = 'bkz_deliver_alerts';

	/** Workflow event key per alert kind of the sidecar. */
	const EVENTS = array(
		'needs_reconnect' => 'zoom_connection_needs_reconnect',
		'meeting_failed'  => 'zoom_meeting_failed',
	);

	/** The shortcode a workflow message uses for the alert's text. */
	const MESSAGE_CODE = 'zoom_alert_message';

	/** @var bool whether this request registered the events already */
	private static $registered = false;

	/**
	 * The two workflow events (Settings -> Workflows lists them) and the shortcode of their text; on
	 * bkntc_init for tenants whose plan has Zoom, and before delivering (cron has no tenant).
	 */
	public static function register_events() {
		$manager = self::workflow_events();
		if ( null === $manager || self::$registered ) {
			return;
		}
		self::$registered = true;
		$titles = array(
			'needs_reconnect' => bkntc__( 'Zoom connection needs reconnecting' ),
			'meeting_failed'  => bkntc__( 'Zoom meeting could not be made' ),
		);
		foreach ( self::EVENTS as $kind => $key ) {
			$manager->get( $key )->setTitle( $titles[ $kind ] )->setAvailableParams( array( 'tenant_id', self::MESSAGE_CODE ) );
		}
		$shortcodes = \BookneticApp\Config::getShortCodeService();
		$shortcodes->registerShortCode(
			self::MESSAGE_CODE,
			array(
				'name'    => bkntc__( 'Zoom alert' ),
				'depends' => self::MESSAGE_CODE,
			)
		);
		$shortcodes->addReplacer( array( __CLASS__, 'replace' ) );
	}

	/**
	 * ShortCodeService replacer: {zoom_alert_message} becomes the alert's text.
	 */
	public static function replace( $text, $data, $service = null ) {
		if ( ! is_string( $text ) || ! isset( $data[ self::MESSAGE_CODE ] ) ) {
			return $text;
		}
		return str_replace( '{' . self::MESSAGE_CODE . '}', (string) $data[ self::MESSAGE_CODE ], $text );
	}

	/**
	 * init: deliver hourly on WordPress cron.
	 */
	public static function schedule() {
		if ( ! wp_next_scheduled( self::CRON_HOOK ) ) {
			wp_schedule_event( time(), 'hourly', self::CRON_HOOK );
		}
	}

	/**
	 * The cron job: claim the undelivered alerts from the sidecar (they count as delivered from then on)
	 * and send each. Returns how many were sent.
	 */
	public static function deliver() {
		$answer = BKZ_Client::request( 'POST', '/v1/platform/zoom/alerts/claim', null, array( 'tenant' => 'platform' ) );
		if ( is_wp_error( $answer ) ) {
			error_log( 'bkz_alerts_unclaimed error=' . $answer->get_error_code() );
			return 0;
		}
		self::register_events();  // Booknetic's trigger() skips events nobody registered
		$manager = self::workflow_events();
		foreach ( $answer['alerts'] as $alert ) {
			self::send( $alert, $manager );
		}
		return count( $answer['alerts'] );
	}

	/**
	 * One alert: as the tenant's workflow event when there is a manager, else by email to the tenant owner.
	 *
	 * @param array                                                   $alert   the sidecar's alert.
	 * @param \BookneticApp\Providers\Common\WorkflowEventsManager|null $manager Booknetic's, if any.
	 */
	public static function send( $alert, $manager ) {
		$tenant_id = (int) $alert['tenant_id'];
		$key       = self::EVENTS[ $alert['kind'] ] ?? null;
		if ( null !== $manager && null !== $key ) {
			$params = array(
				'tenant_id'        => $tenant_id,
				self::MESSAGE_CODE => (string) $alert['message'],
			);
			// noTenant + tenant_id: the tenant's own workflows, whoever runs the cron.
			$manager->trigger( $key, $params, false, true, $tenant_id );
			return;
		}
		if ( ! empty( $alert['owner_email'] ) ) {
			wp_mail( (string) $alert['owner_email'], (string) $alert['title'], (string) $alert['message'] );
		}
	}

	/**
	 * Booknetic's workflow events manager, or null when this Booknetic has none to register events with.
	 *
	 * @return \BookneticApp\Providers\Common\WorkflowEventsManager|null
	 */
	private static function workflow_events() {
		if ( ! class_exists( '\BookneticApp\Config' ) || ! method_exists( '\BookneticApp\Config', 'getWorkflowEventsManager' ) ) {
			return null;
		}
		return \BookneticApp\Config::getWorkflowEventsManager();
	}
}
