<?php
/**
 * Edit Service modal, "Service details" tab: "Activate Zoom for the service" (Booknetic's TabUI view).
 *
 * @var array $parameters allowed: may the user manage Zoom; state: GET /v1/tenant/services/<id>/zoom
 *                        or WP_Error.
 */
if ( ! defined( 'WPINC' ) ) {
	die;
}
if ( empty( $parameters['allowed'] ) ) {
	return;
}
$state = $parameters['state'];
?>
<div class="form-row bkz-service-zoom">
	<div class="form-group col-md-12">
		<?php if ( is_wp_error( $state ) ) : ?>
			<label><?php esc_html_e( 'Activate Zoom for the service', 'booknetic-zoom' ); ?></label>
			<div class="bkz-zoom-unavailable text-secondary"><?php echo esc_html( $state->get_error_message() ); ?></div>
		<?php else : ?>
			<div class="form-control-checkbox">
				<label for="bkz_activate_zoom"><?php esc_html_e( 'Activate Zoom for the service', 'booknetic-zoom' ); ?></label>
				<div class="fs_onoffswitch">
					<input type="checkbox" class="fs_onoffswitch-checkbox" id="bkz_activate_zoom"<?php checked( ! empty( $state['enabled'] ) ); ?>>
					<label class="fs_onoffswitch-label" for="bkz_activate_zoom"></label>
				</div>
			</div>
		<?php endif; ?>
	</div>
</div>
