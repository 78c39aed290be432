<?php
/**
 * Settings -> Integration with Zoom (tenant), drawn inside Booknetic's settings screen.
 *
 * @var array $data status: GET /v1/tenant/zoom or WP_Error; settings: GET /v1/tenant/zoom/settings
 *                  (the add-on's settings, the meeting options, which bookings get meetings) or WP_Error;
 *                  message: a message to show (after an action or Zoom's redirect).
 */
if ( ! defined( 'WPINC' ) ) {
	die;
}
$status   = $data['status'];
$settings = $data['settings'];
$failure  = is_wp_error( $status ) ? $status : ( is_wp_error( $settings ) ? $settings : null );
$fault    = null === $failure ? null : $failure->get_error_data();
$s2s      = ! is_wp_error( $status ) && 's2s' === ( $status['method'] ?? 'oauth' );
$fields   = array(
	'account_id'    => __( 'Account ID', 'booknetic-zoom' ),
	'client_id'     => __( 'Client ID', 'booknetic-zoom' ),
	'client_secret' => __( 'Client Secret', 'booknetic-zoom' ),
);
$switches = array(
	'waiting_room'     => __( 'Waiting room', 'booknetic-zoom' ),
	'join_before_host' => __( 'Participants may join before the host', 'booknetic-zoom' ),
	'mute_upon_entry'  => __( 'Mute participants upon entry', 'booknetic-zoom' ),
);
$choices  = array(
	'auto_recording' => array(
		'label'   => __( 'Record automatically', 'booknetic-zoom' ),
		'options' => array(
			'none'  => __( 'No', 'booknetic-zoom' ),
			'local' => __( 'On the host\'s computer', 'booknetic-zoom' ),
			'cloud' => __( 'In the Zoom cloud', 'booknetic-zoom' ),
		),
	),
);
?>
<div id="booknetic_settings_area" class="bkz-tenant-settings" data-nonce="<?php echo esc_attr( wp_create_nonce( BKZ_Tenant_Ajax::NONCE ) ); ?>">
	<link rel="stylesheet" href="<?php echo esc_url( BKZ_Screen::asset( 'css/bkz.css' ) ); ?>">
	<script type="application/javascript" src="<?php echo esc_url( BKZ_Screen::asset( 'js/tenant-settings.js' ) ); ?>"></script>

	<div class="actions_panel clearfix">
		<?php if ( null === $failure ) : ?>
			<button type="button" class="btn btn-lg btn-success settings-save-btn float-right" id="bkz_save_settings"><i class="fa fa-check pr-2"></i> <?php esc_html_e( 'SAVE CHANGES', 'booknetic-zoom' ); ?></button>
		<?php endif; ?>
	</div>

	<div class="settings-light-portlet">
		<div class="ms-title"><?php esc_html_e( 'Integration with Zoom', 'booknetic-zoom' ); ?></div>
		<div class="ms-content">
			<div class="bkz-message alert alert-success"<?php echo '' === $data['message'] ? ' hidden' : ''; ?>><?php echo esc_html( $data['message'] ); ?></div>
			<div class="bkz-error alert alert-danger" data-field="<?php echo esc_attr( is_array( $fault ) ? (string) ( $fault['field'] ?? '' ) : '' ); ?>"<?php echo null === $failure ? ' hidden' : ''; ?>><?php echo null === $failure ? '' : esc_html( $failure->get_error_message() ); ?></div>

			<?php if ( ! is_wp_error( $status ) ) : ?>
				<?php if ( ! empty( $status['needs_reconnect'] ) ) : ?>
					<div class="alert alert-warning bkz-needs-reconnect"><?php esc_html_e( 'Zoom no longer accepts this connection. Connect your Zoom account again; bookings wait meanwhile.', 'booknetic-zoom' ); ?></div>
				<?php endif; ?>

				<?php if ( ! empty( $status['connected'] ) ) : ?>
					<div class="form-row bkz-connected">
						<div class="form-group col-md-8">
							<label><?php esc_html_e( 'Connected Zoom account', 'booknetic-zoom' ); ?></label>
							<div><strong class="bkz-account-email"><?php echo esc_html( $status['account_email'] ?? $status['account_id'] ?? '' ); ?></strong>
								(<?php echo esc_html( 's2s' === ( $status['connected_method'] ?? '' ) ? 'Server-to-Server' : 'OAuth' ); ?>)</div>
						</div>
						<div class="form-group col-md-4">
							<button type="button" class="btn btn-lg btn-outline-danger float-right" id="bkz_disconnect"><?php esc_html_e( 'Disconnect', 'booknetic-zoom' ); ?></button>
						</div>
					</div>
				<?php endif; ?>

				<?php if ( empty( $status['connected'] ) || ! empty( $status['needs_reconnect'] ) ) : ?>
					<?php if ( $s2s ) : ?>
						<div class="bkz-s2s">
							<?php foreach ( $fields as $field => $label ) : ?>
								<div class="form-row">
									<div class="form-group col-md-8">
										<label for="bkz_<?php echo esc_attr( $field ); ?>"><?php echo esc_html( $label ); ?>: <span class="required-star">*</span></label>
										<input class="form-control" type="<?php echo 'client_secret' === $field ? 'password' : 'text'; ?>" id="bkz_<?php echo esc_attr( $field ); ?>" data-field="<?php echo esc_attr( $field ); ?>" autocomplete="off">
										<div class="bkz-field-error text-danger" data-field="<?php echo esc_attr( $field ); ?>" hidden></div>
									</div>
								</div>
							<?php endforeach; ?>
							<button type="button" class="btn btn-lg btn-primary" id="bkz_save_credentials"><?php esc_html_e( 'SAVE AND CONNECT', 'booknetic-zoom' ); ?></button>
						</div>
					<?php else : ?>
						<button type="button" class="btn btn-lg btn-primary" id="bkz_connect"><?php esc_html_e( 'CLICK TO CONNECT ZOOM ACCOUNT', 'booknetic-zoom' ); ?></button>
					<?php endif; ?>
				<?php endif; ?>

				<div class="form-row mt-4 bkz-counts">
					<div class="form-group col-md-4"><label><?php esc_html_e( 'Meetings', 'booknetic-zoom' ); ?></label><div class="bkz-active"><?php echo (int) ( $status['meetings']['active'] ?? 0 ); ?></div></div>
					<div class="form-group col-md-4"><label><?php esc_html_e( 'Failed', 'booknetic-zoom' ); ?></label><div class="bkz-failed"><?php echo (int) ( $status['meetings']['failed'] ?? 0 ); ?></div></div>
					<div class="form-group col-md-4"><label><?php esc_html_e( 'Waiting to sync', 'booknetic-zoom' ); ?></label><div class="bkz-queued"><?php echo (int) ( $status['queued'] ?? 0 ); ?></div></div>
				</div>
				<?php $cut_short = (int) ( $status['meetings']['longer_than_basic_limit'] ?? 0 ); ?>
				<?php if ( $cut_short > 0 ) : ?>
					<div class="alert alert-warning bkz-basic-limit">
						<?php
						/* translators: %d: how many upcoming bookings */
						echo esc_html( sprintf( _n( '%d upcoming booking is longer than 40 minutes on a Basic (free) Zoom user: Zoom will end it after 40 minutes.', '%d upcoming bookings are longer than 40 minutes on Basic (free) Zoom users: Zoom will end them after 40 minutes.', $cut_short, 'booknetic-zoom' ), $cut_short ) );
						?>
					</div>
				<?php endif; ?>
			<?php endif; ?>
		</div>
	</div>

	<?php if ( null === $failure ) : ?>
		<div class="settings-light-portlet bkz-settings">
			<div class="ms-title"><?php esc_html_e( 'Meeting settings', 'booknetic-zoom' ); ?></div>
			<div class="ms-content">
				<div class="form-row">
					<div class="form-group col-md-12">
						<div class="form-control-checkbox">
							<label for="bkz_enabled"><?php esc_html_e( 'Create Zoom meetings for bookings', 'booknetic-zoom' ); ?></label>
							<div class="fs_onoffswitch">
								<input type="checkbox" class="fs_onoffswitch-checkbox" id="bkz_enabled"<?php checked( ! empty( $settings['enabled'] ) ); ?>>
								<label class="fs_onoffswitch-label" for="bkz_enabled"></label>
							</div>
						</div>
					</div>
				</div>
				<div class="form-row">
					<div class="form-group col-md-12">
						<div class="form-control-checkbox">
							<label for="bkz_random_password"><?php esc_html_e( 'Set a random meeting password', 'booknetic-zoom' ); ?></label>
							<div class="fs_onoffswitch">
								<input type="checkbox" class="fs_onoffswitch-checkbox" id="bkz_random_password"<?php checked( ! empty( $settings['random_password'] ) ); ?>>
								<label class="fs_onoffswitch-label" for="bkz_random_password"></label>
							</div>
						</div>
					</div>
				</div>
				<div class="form-row">
					<div class="form-group col-md-12">
						<label for="bkz_meetings_for"><?php esc_html_e( 'Bookings that get a Zoom meeting', 'booknetic-zoom' ); ?></label>
						<select class="form-control" id="bkz_meetings_for">
							<option value="pending_and_approved"<?php selected( $settings['meetings_for'] ?? '', 'pending_and_approved' ); ?>><?php esc_html_e( 'Pending and approved', 'booknetic-zoom' ); ?></option>
							<option value="approved"<?php selected( $settings['meetings_for'] ?? '', 'approved' ); ?>><?php esc_html_e( 'Approved only', 'booknetic-zoom' ); ?></option>
						</select>
					</div>
				</div>
				<div class="form-row">
					<div class="form-group col-md-12">
						<div class="form-control-checkbox">
							<label for="bkz_use_host_defaults"><?php esc_html_e( 'Use the host\'s Zoom defaults for meeting options', 'booknetic-zoom' ); ?></label>
							<div class="fs_onoffswitch">
								<input type="checkbox" class="fs_onoffswitch-checkbox" id="bkz_use_host_defaults"<?php checked( ! empty( $settings['use_host_defaults'] ) ); ?>>
								<label class="fs_onoffswitch-label" for="bkz_use_host_defaults"></label>
							</div>
						</div>
					</div>
				</div>
				<div class="bkz-meeting-options"<?php echo empty( $settings['use_host_defaults'] ) ? '' : ' hidden'; ?>>
					<?php foreach ( $switches as $name => $label ) : ?>
						<div class="form-row">
							<div class="form-group col-md-12">
								<div class="form-control-checkbox">
									<label for="bkz_<?php echo esc_attr( $name ); ?>"><?php echo esc_html( $label ); ?></label>
									<div class="fs_onoffswitch">
										<input type="checkbox" class="fs_onoffswitch-checkbox bkz-option" data-option="<?php echo esc_attr( $name ); ?>" id="bkz_<?php echo esc_attr( $name ); ?>"<?php checked( ! empty( $settings[ $name ] ) ); ?>>
										<label class="fs_onoffswitch-label" for="bkz_<?php echo esc_attr( $name ); ?>"></label>
									</div>
								</div>
							</div>
						</div>
					<?php endforeach; ?>
					<?php foreach ( $choices as $name => $choice ) : ?>
						<div class="form-row">
							<div class="form-group col-md-12">
								<label for="bkz_<?php echo esc_attr( $name ); ?>"><?php echo esc_html( $choice['label'] ); ?></label>
								<select class="form-control" id="bkz_<?php echo esc_attr( $name ); ?>">
									<?php foreach ( $choice['options'] as $value => $text ) : ?>
										<option value="<?php echo esc_attr( $value ); ?>"<?php selected( $settings[ $name ] ?? '', $value ); ?>><?php echo esc_html( $text ); ?></option>
									<?php endforeach; ?>
								</select>
							</div>
						</div>
					<?php endforeach; ?>
					<div class="text-secondary bkz-security-hint"><?php esc_html_e( 'Zoom turns the waiting room on by itself for a meeting with no passcode, no waiting room and no sign-in.', 'booknetic-zoom' ); ?></div>
				</div>
				<div class="form-row">
					<div class="form-group col-md-12">
						<label for="bkz_meeting_title"><?php esc_html_e( 'Meeting title', 'booknetic-zoom' ); ?></label>
						<input class="form-control" id="bkz_meeting_title" value="<?php echo esc_attr( $settings['meeting_title'] ?? '' ); ?>">
					</div>
				</div>
				<div class="form-row">
					<div class="form-group col-md-12">
						<label for="bkz_meeting_agenda"><?php esc_html_e( 'Meeting agenda', 'booknetic-zoom' ); ?></label>
						<textarea class="form-control" rows="3" id="bkz_meeting_agenda"><?php echo esc_textarea( $settings['meeting_agenda'] ?? '' ); ?></textarea>
					</div>
				</div>
			</div>
		</div>
	<?php endif; ?>
</div>
