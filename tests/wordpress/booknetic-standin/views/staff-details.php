<?php
/** Booknetic's "Staff details" tab, reduced to the name. @var array $parameters */
?>
<div class="form-row"><div class="form-group col-md-12"><label for="input_name">Full Name</label>
<input class="form-control" id="input_name" value="<?php echo esc_attr( $parameters['staff']['name'] ?? '' ); ?>"></div></div>
