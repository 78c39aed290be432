<?php
/**
 * Edit Staff modal, "Staff details" tab: the "Zoom user" section (Booknetic's TabUI view).
 *
 * @var array $parameters allowed: may the user manage Zoom; users: GET /v1/tenant/zoom/users or
 *                        WP_Error (each with its licence: Basic, Licensed, ...); current: the staff's
 *                        Zoom user {"id","name"} or null.
 */
if ( ! defined( 'WPINC' ) ) {
	die;
}
if ( empty( $parameters['allowed'] ) ) {
	return;
}
$users   = $parameters['users'];
$current = $parameters['current'];
?>
<div class="form-row bkz-staff-zoom">
	<div class="form-group col-md-12">
		<label for="bkz_zoom_user"><?php esc_html_e( 'Zoom user', 'booknetic-zoom' ); ?></label>
		<?php if ( is_wp_error( $users ) ) : ?>
			<div class="bkz-zoom-unavailable text-secondary"><?php echo esc_html( $users->get_error_message() ); ?></div>
		<?php else : ?>
			<select class="form-control" id="bkz_zoom_user">
				<option value=""><?php esc_html_e( '(no Zoom meetings for this staff)', 'booknetic-zoom' ); ?></option>
				<?php foreach ( $users['users'] as $user ) : ?>
					<option value="<?php echo esc_attr( $user['id'] ); ?>"<?php selected( $current['id'] ?? '', $user['id'] ); ?>>
						<?php echo esc_html( trim( ( $user['display_name'] ?? '' ) . ' (' . $user['email'] . ')' ) . ' - ' . ( $user['licence'] ?? '' ) ); ?>
					</option>
				<?php endforeach; ?>
			</select>
		<?php endif; ?>
	</div>
</div>
