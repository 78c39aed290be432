<?php
/**
 * SaaS Settings -> Integrations -> Zoom (platform admin), drawn inside Booknetic SaaS's settings screen.
 *
 * @var array $data settings: GET /v1/platform/zoom or WP_Error; message: a message to show.
 */
if ( ! defined( 'WPINC' ) ) {
	die;
}
$settings = $data['settings'];
$failed   = is_wp_error( $settings );
?>
<div id="booknetic_settings_area" class="bkz-platform-settings" data-nonce="<?php echo esc_attr( wp_create_nonce( BKZ_Platform_Ajax::NONCE ) ); ?>">
	<link rel="stylesheet" href="<?php echo esc_url( BKZ_Screen::asset( 'css/bkz.css' ) ); ?>">
	<script type="application/javascript" src="<?php echo esc_url( BKZ_Screen::asset( 'js/platform-settings.js' ) ); ?>"></script>

	<div class="actions_panel clearfix">
		<?php if ( ! $failed ) : ?>
			<button type="button" class="btn btn-lg btn-success settings-save-btn float-right" id="bkz_save_platform"><i class="fa fa-check pr-2"></i> <?php esc_html_e( 'SAVE CHANGES', 'booknetic-zoom' ); ?></button>
		<?php endif; ?>
	</div>

	<div class="settings-light-portlet">
		<div class="ms-title"><?php esc_html_e( 'Zoom', 'booknetic-zoom' ); ?></div>
		<div class="ms-content">
			<div class="bkz-message alert alert-success"<?php echo '' === $data['message'] ? ' hidden' : ''; ?>><?php echo esc_html( $data['message'] ); ?></div>
			<div class="bkz-error alert alert-danger"<?php echo $failed ? '' : ' hidden'; ?>><?php echo $failed ? esc_html( $settings->get_error_message() ) : ''; ?></div>
			<?php if ( ! $failed ) : ?>
				<div class="form-row">
					<div class="form-group col-md-12">
						<div class="form-control-checkbox">
							<label for="bkz_platform_enabled"><?php esc_html_e( 'Enable Zoom for the platform', 'booknetic-zoom' ); ?></label>
							<div class="fs_onoffswitch">
								<input type="checkbox" class="fs_onoffswitch-checkbox" id="bkz_platform_enabled"<?php checked( ! empty( $settings['enabled'] ) ); ?>>
								<label class="fs_onoffswitch-label" for="bkz_platform_enabled"></label>
							</div>
						</div>
					</div>
				</div>
				<div class="form-row">
					<div class="form-group col-md-12">
						<label for="bkz_method"><?php esc_html_e( 'Integration method', 'booknetic-zoom' ); ?></label>
						<select class="form-control" id="bkz_method">
							<option value="oauth"<?php selected( $settings['method'] ?? 'oauth', 'oauth' ); ?>><?php esc_html_e( 'OAuth: one Marketplace app for the whole platform (recommended)', 'booknetic-zoom' ); ?></option>
							<option value="s2s"<?php selected( $settings['method'] ?? 'oauth', 's2s' ); ?>><?php esc_html_e( 'Server-to-Server: each tenant brings its own app', 'booknetic-zoom' ); ?></option>
						</select>
						<p class="bkz-note mt-2"><?php esc_html_e( 'Zoom allows a Server-to-Server app only for its own account\'s internal use, so each tenant must create its own. For a platform, OAuth is the recommended method: tenants just click Connect.', 'booknetic-zoom' ); ?></p>
					</div>
				</div>
				<div class="form-row">
					<div class="form-group col-md-6">
						<label for="bkz_client_id"><?php esc_html_e( 'Client ID', 'booknetic-zoom' ); ?></label>
						<input class="form-control" id="bkz_client_id" value="<?php echo esc_attr( $settings['client_id'] ?? '' ); ?>">
					</div>
					<div class="form-group col-md-6">
						<label for="bkz_client_secret"><?php esc_html_e( 'Client Secret', 'booknetic-zoom' ); ?></label>
						<input class="form-control" type="password" id="bkz_client_secret" autocomplete="new-password" placeholder="<?php echo esc_attr( empty( $settings['client_secret_set'] ) ? '' : __( 'saved; leave blank to keep', 'booknetic-zoom' ) ); ?>">
					</div>
				</div>
				<div class="form-row">
					<div class="form-group col-md-6">
						<label for="bkz_webhook_secret_token"><?php esc_html_e( 'Webhook secret token', 'booknetic-zoom' ); ?></label>
						<input class="form-control" type="password" id="bkz_webhook_secret_token" autocomplete="new-password" placeholder="<?php echo esc_attr( empty( $settings['webhook_secret_token_set'] ) ? '' : __( 'saved; leave blank to keep', 'booknetic-zoom' ) ); ?>">
					</div>
				</div>
				<div class="form-row">
					<div class="form-group col-md-12">
						<label for="bkz_redirect_uri"><?php esc_html_e( 'Redirect URL for OAuth (paste into the Marketplace app)', 'booknetic-zoom' ); ?></label>
						<input class="form-control bkz-url" id="bkz_redirect_uri" value="<?php echo esc_attr( $settings['redirect_uri'] ?? '' ); ?>" readonly>
					</div>
				</div>
				<div class="form-row">
					<div class="form-group col-md-12">
						<label for="bkz_webhook_url"><?php esc_html_e( 'Event notification endpoint URL (paste into the Marketplace app)', 'booknetic-zoom' ); ?></label>
						<input class="form-control bkz-url" id="bkz_webhook_url" value="<?php echo esc_attr( $settings['webhook_url'] ?? '' ); ?>" readonly>
					</div>
				</div>
			<?php endif; ?>
		</div>
	</div>
</div>
