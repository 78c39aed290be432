<?php
/**
 * BKZ_Client::signature against SPEC section 4's test vectors. Run: php signature-vectors.php
 * Prints one line per vector and exits non-zero on any mismatch.
 */

define( 'WPINC', 'wp-includes' );
require __DIR__ . '/../includes/class-bkz-client.php';

$vectors = array(
	array( 'PUT', '/v1/tenant/services/7/zoom', '{"enabled":true}', 'e1fa3c5dfa69162921238e0a40ffe2ad66d66122f792a6543ff9a766685733f3' ),
	array( 'GET', '/v1/tenant/zoom/users?page=2', '', 'b89a94cd08b07a086a85701a0d6d03041f6f6a83fc1bc4e09364e4ec9e917adb' ),
);

$failed = 0;
foreach ( $vectors as list( $method, $path, $body, $expected ) ) {
	$actual = BKZ_Client::signature( 'test-secret', '1767225600', $method, $path, '3', '12', $body );
	$ok     = hash_equals( $expected, $actual );
	$failed += $ok ? 0 : 1;
	printf( "%s %s %s %s\n", $ok ? 'ok' : 'FAIL', $method, $path, $actual );
}
exit( $failed ? 1 : 0 );
