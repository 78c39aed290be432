<?php
/**
 * Notices: the message or error carried back from the last form post, and a failed sidecar call.
 *
 * @var array $data notice: [ message, error, field ]; optional failure: WP_Error
 */
if ( ! defined( 'WPINC' ) ) {
	die;
}
?>
<?php if ( '' !== $data['notice']['message'] ) : ?>
	<div class="notice notice-success bkz-message"><p><?php echo esc_html( $data['notice']['message'] ); ?></p></div>
<?php endif; ?>
<?php if ( '' !== $data['notice']['error'] ) : ?>
	<div class="notice notice-error bkz-error" data-field="<?php echo esc_attr( $data['notice']['field'] ); ?>"><p><?php echo esc_html( $data['notice']['error'] ); ?></p></div>
<?php endif; ?>
<?php if ( isset( $data['failure'] ) && is_wp_error( $data['failure'] ) ) : ?>
	<div class="notice notice-error bkz-unavailable"><p><?php echo esc_html( $data['failure']->get_error_message() ); ?></p></div>
<?php endif; ?>
