<?php
/**
 * Services -> "Activate Zoom" (tenant).
 *
 * @var array $data services: [ [ id, name, current: GET .../zoom or WP_Error ] ]; notice.
 */
if ( ! defined( 'WPINC' ) ) {
	die;
}
?>
<div class="wrap bkz-services">
	<h1><?php esc_html_e( 'Zoom for services', 'booknetic-zoom' ); ?></h1>
	<?php include __DIR__ . '/notice.php'; ?>
	<table class="widefat striped">
		<thead><tr><th><?php esc_html_e( 'Service', 'booknetic-zoom' ); ?></th><th><?php esc_html_e( 'Activate Zoom', 'booknetic-zoom' ); ?></th></tr></thead>
		<tbody>
		<?php foreach ( $data['services'] as $service ) : ?>
			<tr id="bkz-service-<?php echo (int) $service['id']; ?>">
				<td><?php echo esc_html( $service['name'] ); ?></td>
				<td>
					<?php if ( is_wp_error( $service['current'] ) ) : ?>
						<span class="bkz-unavailable"><?php echo esc_html( $service['current']->get_error_message() ); ?></span>
					<?php else : ?>
					<form method="post" action="<?php echo esc_url( admin_url( 'admin-post.php' ) ); ?>">
						<input type="hidden" name="action" value="bkz_save_service_zoom">
						<input type="hidden" name="service_id" value="<?php echo (int) $service['id']; ?>">
						<?php wp_nonce_field( 'bkz_save_service_zoom' ); ?>
						<input type="checkbox" name="enabled" value="1" <?php checked( ! empty( $service['current']['enabled'] ) ); ?>>
						<button type="submit" class="button"><?php esc_html_e( 'Save', 'booknetic-zoom' ); ?></button>
					</form>
					<?php endif; ?>
				</td>
			</tr>
		<?php endforeach; ?>
		</tbody>
	</table>
</div>
