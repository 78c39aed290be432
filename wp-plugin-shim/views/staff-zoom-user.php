<?php
/**
 * Staff -> Zoom user (tenant).
 *
 * @var array $data staff: [ [ id, name, current: GET .../zoom-user or WP_Error ] ];
 *                  users: GET /v1/tenant/zoom/users or WP_Error; notice.
 */
if ( ! defined( 'WPINC' ) ) {
	die;
}
$users           = $data['users'];
$data['failure'] = $users;
?>
<div class="wrap bkz-staff">
	<h1><?php esc_html_e( 'Zoom user of each staff member', 'booknetic-zoom' ); ?></h1>
	<?php include __DIR__ . '/notice.php'; ?>
	<?php if ( ! is_wp_error( $users ) ) : ?>
	<table class="widefat striped">
		<thead><tr><th><?php esc_html_e( 'Staff', 'booknetic-zoom' ); ?></th><th><?php esc_html_e( 'Zoom user', 'booknetic-zoom' ); ?></th></tr></thead>
		<tbody>
		<?php foreach ( $data['staff'] as $staff ) : ?>
			<?php $linked = is_wp_error( $staff['current'] ) ? '' : ( $staff['current']['zoom_user']['id'] ?? '' ); ?>
			<tr id="bkz-staff-<?php echo (int) $staff['id']; ?>">
				<td><?php echo esc_html( $staff['name'] ); ?></td>
				<td>
					<form method="post" action="<?php echo esc_url( admin_url( 'admin-post.php' ) ); ?>">
						<input type="hidden" name="action" value="bkz_save_staff_zoom_user">
						<input type="hidden" name="staff_id" value="<?php echo (int) $staff['id']; ?>">
						<?php wp_nonce_field( 'bkz_save_staff_zoom_user' ); ?>
						<select name="zoom_user_id">
							<option value=""><?php esc_html_e( '— not linked —', 'booknetic-zoom' ); ?></option>
							<?php foreach ( $users['users'] ?? array() as $user ) : ?>
								<option value="<?php echo esc_attr( $user['id'] ); ?>" <?php selected( $linked, $user['id'] ); ?>>
									<?php echo esc_html( trim( ( $user['display_name'] ?? '' ) . ' ( ' . ( $user['email'] ?? '' ) . ' )' ) ); ?>
								</option>
							<?php endforeach; ?>
						</select>
						<button type="submit" class="button"><?php esc_html_e( 'Save', 'booknetic-zoom' ); ?></button>
					</form>
				</td>
			</tr>
		<?php endforeach; ?>
		</tbody>
	</table>
	<?php endif; ?>
</div>
