<?php
/**
 * Settings -> Integration with Zoom (tenant).
 *
 * @var array $data status: GET /v1/tenant/zoom or WP_Error; settings: GET /v1/tenant/zoom/settings
 *                  or WP_Error; notice.
 */
if ( ! defined( 'WPINC' ) ) {
	die;
}
$status          = $data['status'];
$settings        = $data['settings'];
$data['failure'] = is_wp_error( $status ) ? $status : $settings;
$form_url        = admin_url( 'admin-post.php' );
?>
<div class="wrap bkz-tenant">
	<h1><?php esc_html_e( 'Settings', 'booknetic-zoom' ); ?> &rarr; <?php esc_html_e( 'Integration with Zoom', 'booknetic-zoom' ); ?></h1>
	<?php include __DIR__ . '/notice.php'; ?>
	<?php if ( ! is_wp_error( $status ) ) : ?>
		<?php if ( ! empty( $status['needs_reconnect'] ) ) : ?>
			<div class="notice notice-warning bkz-needs-reconnect"><p><?php esc_html_e( 'Zoom no longer accepts this connection. Connect your Zoom account again; bookings wait meanwhile.', 'booknetic-zoom' ); ?></p></div>
		<?php endif; ?>

		<h2><?php esc_html_e( 'Zoom account', 'booknetic-zoom' ); ?></h2>
		<?php if ( ! empty( $status['connected'] ) ) : ?>
			<p class="bkz-connected"><?php esc_html_e( 'Connected account:', 'booknetic-zoom' ); ?>
				<strong class="bkz-account-email"><?php echo esc_html( $status['account_email'] ?? $status['account_id'] ?? '' ); ?></strong>
				(<?php echo esc_html( 's2s' === ( $status['connected_method'] ?? '' ) ? 'Server-to-Server' : 'OAuth' ); ?>)</p>
			<form method="post" action="<?php echo esc_url( $form_url ); ?>">
				<input type="hidden" name="action" value="bkz_disconnect">
				<?php wp_nonce_field( 'bkz_disconnect' ); ?>
				<button type="submit" class="button" id="bkz-disconnect"><?php esc_html_e( 'Disconnect', 'booknetic-zoom' ); ?></button>
			</form>
		<?php endif; ?>

		<?php if ( empty( $status['connected'] ) || ! empty( $status['needs_reconnect'] ) ) : ?>
			<?php if ( 's2s' === ( $status['method'] ?? 'oauth' ) ) : ?>
				<form method="post" action="<?php echo esc_url( $form_url ); ?>" class="bkz-s2s">
					<input type="hidden" name="action" value="bkz_save_credentials">
					<?php wp_nonce_field( 'bkz_save_credentials' ); ?>
					<table class="form-table" role="presentation">
						<?php
						foreach ( array(
							'account_id'    => __( 'Account ID', 'booknetic-zoom' ),
							'client_id'     => __( 'Client ID', 'booknetic-zoom' ),
							'client_secret' => __( 'Client Secret', 'booknetic-zoom' ),
						) as $field => $label ) :
							?>
							<tr><th scope="row"><label for="bkz-<?php echo esc_attr( $field ); ?>"><?php echo esc_html( $label ); ?></label></th>
								<td><input type="<?php echo 'client_secret' === $field ? 'password' : 'text'; ?>" class="regular-text" id="bkz-<?php echo esc_attr( $field ); ?>" name="<?php echo esc_attr( $field ); ?>" value="" autocomplete="off"
									<?php echo $field === $data['notice']['field'] ? 'aria-invalid="true"' : ''; ?>></td></tr>
						<?php endforeach; ?>
					</table>
					<button type="submit" class="button button-primary" id="bkz-save-credentials"><?php esc_html_e( 'Save and connect', 'booknetic-zoom' ); ?></button>
				</form>
			<?php else : ?>
				<form method="post" action="<?php echo esc_url( $form_url ); ?>">
					<input type="hidden" name="action" value="bkz_connect">
					<?php wp_nonce_field( 'bkz_connect' ); ?>
					<button type="submit" class="button button-primary" id="bkz-connect"><?php esc_html_e( 'CLICK TO CONNECT ZOOM ACCOUNT', 'booknetic-zoom' ); ?></button>
				</form>
			<?php endif; ?>
		<?php endif; ?>

		<h2><?php esc_html_e( 'Meetings', 'booknetic-zoom' ); ?></h2>
		<ul class="bkz-counts">
			<li><?php esc_html_e( 'Active:', 'booknetic-zoom' ); ?> <span class="bkz-active"><?php echo (int) ( $status['meetings']['active'] ?? 0 ); ?></span></li>
			<li><?php esc_html_e( 'Failed:', 'booknetic-zoom' ); ?> <span class="bkz-failed"><?php echo (int) ( $status['meetings']['failed'] ?? 0 ); ?></span></li>
			<li><?php esc_html_e( 'Waiting to sync:', 'booknetic-zoom' ); ?> <span class="bkz-queued"><?php echo (int) ( $status['queued'] ?? 0 ); ?></span></li>
		</ul>

		<?php if ( ! is_wp_error( $settings ) ) : ?>
			<h2><?php esc_html_e( 'Meeting settings', 'booknetic-zoom' ); ?></h2>
			<form method="post" action="<?php echo esc_url( $form_url ); ?>" class="bkz-settings">
				<input type="hidden" name="action" value="bkz_save_tenant_settings">
				<?php wp_nonce_field( 'bkz_save_tenant_settings' ); ?>
				<table class="form-table" role="presentation">
					<tr><th scope="row"><label for="bkz-enabled"><?php esc_html_e( 'Enable Zoom', 'booknetic-zoom' ); ?></label></th>
						<td><input type="checkbox" id="bkz-enabled" name="enabled" value="1" <?php checked( ! empty( $settings['enabled'] ) ); ?>></td></tr>
					<tr><th scope="row"><label for="bkz-meeting-title"><?php esc_html_e( 'Meeting title', 'booknetic-zoom' ); ?></label></th>
						<td><input type="text" class="regular-text" id="bkz-meeting-title" name="meeting_title" value="<?php echo esc_attr( $settings['meeting_title'] ?? '' ); ?>"></td></tr>
					<tr><th scope="row"><label for="bkz-meeting-agenda"><?php esc_html_e( 'Meeting agenda', 'booknetic-zoom' ); ?></label></th>
						<td><textarea class="large-text" rows="3" id="bkz-meeting-agenda" name="meeting_agenda"><?php echo esc_textarea( $settings['meeting_agenda'] ?? '' ); ?></textarea></td></tr>
					<tr><th scope="row"><label for="bkz-random-password"><?php esc_html_e( 'Random meeting password', 'booknetic-zoom' ); ?></label></th>
						<td><input type="checkbox" id="bkz-random-password" name="random_password" value="1" <?php checked( ! empty( $settings['random_password'] ) ); ?>></td></tr>
				</table>
				<?php submit_button( __( 'Save', 'booknetic-zoom' ), 'primary', 'submit', true, array( 'id' => 'bkz-save-settings' ) ); ?>
			</form>
		<?php endif; ?>
	<?php endif; ?>
</div>
