<?php
/**
 * Platform settings (super admin).
 *
 * @var array $data settings: GET /v1/platform/zoom answer or WP_Error; notice.
 */
if ( ! defined( 'WPINC' ) ) {
	die;
}
$settings        = $data['settings'];
$data['failure'] = $settings;
?>
<div class="wrap bkz-platform">
	<h1><?php esc_html_e( 'Zoom for tenants (platform settings)', 'booknetic-zoom' ); ?></h1>
	<?php include __DIR__ . '/notice.php'; ?>
	<?php if ( ! is_wp_error( $settings ) ) : ?>
	<form method="post" action="<?php echo esc_url( admin_url( 'admin-post.php' ) ); ?>">
		<input type="hidden" name="action" value="bkz_save_platform">
		<?php wp_nonce_field( 'bkz_save_platform' ); ?>
		<table class="form-table" role="presentation">
			<tr><th scope="row"><label for="bkz-enabled"><?php esc_html_e( 'Enable Zoom', 'booknetic-zoom' ); ?></label></th>
				<td><input type="checkbox" id="bkz-enabled" name="enabled" value="1" <?php checked( ! empty( $settings['enabled'] ) ); ?>></td></tr>
			<tr><th scope="row"><label for="bkz-method"><?php esc_html_e( 'Integration method', 'booknetic-zoom' ); ?></label></th>
				<td><select id="bkz-method" name="method">
					<option value="oauth" <?php selected( $settings['method'] ?? 'oauth', 'oauth' ); ?>><?php esc_html_e( 'OAuth (one Marketplace app for the platform)', 'booknetic-zoom' ); ?></option>
					<option value="s2s" <?php selected( $settings['method'] ?? 'oauth', 's2s' ); ?>><?php esc_html_e( 'Server-to-Server (each tenant its own app)', 'booknetic-zoom' ); ?></option>
				</select></td></tr>
			<tr><th scope="row"><label for="bkz-client-id"><?php esc_html_e( 'Client ID', 'booknetic-zoom' ); ?></label></th>
				<td><input type="text" class="regular-text" id="bkz-client-id" name="client_id" value="<?php echo esc_attr( $settings['client_id'] ?? '' ); ?>"></td></tr>
			<tr><th scope="row"><label for="bkz-client-secret"><?php esc_html_e( 'Client Secret', 'booknetic-zoom' ); ?></label></th>
				<td><input type="password" class="regular-text" id="bkz-client-secret" name="client_secret" value="" autocomplete="new-password"
					placeholder="<?php echo esc_attr( empty( $settings['client_secret_set'] ) ? '' : __( 'saved; leave blank to keep', 'booknetic-zoom' ) ); ?>"></td></tr>
			<tr><th scope="row"><label for="bkz-webhook-secret"><?php esc_html_e( 'Webhook secret token', 'booknetic-zoom' ); ?></label></th>
				<td><input type="password" class="regular-text" id="bkz-webhook-secret" name="webhook_secret_token" value="" autocomplete="new-password"
					placeholder="<?php echo esc_attr( empty( $settings['webhook_secret_token_set'] ) ? '' : __( 'saved; leave blank to keep', 'booknetic-zoom' ) ); ?>"></td></tr>
			<tr><th scope="row"><?php esc_html_e( 'Redirect URL for OAuth', 'booknetic-zoom' ); ?></th>
				<td><code id="bkz-redirect-uri"><?php echo esc_html( $settings['redirect_uri'] ?? '' ); ?></code></td></tr>
			<tr><th scope="row"><?php esc_html_e( 'Event notification endpoint URL', 'booknetic-zoom' ); ?></th>
				<td><code id="bkz-webhook-url"><?php echo esc_html( $settings['webhook_url'] ?? '' ); ?></code></td></tr>
		</table>
		<?php submit_button( __( 'Save', 'booknetic-zoom' ) ); ?>
	</form>
	<?php endif; ?>
</div>
