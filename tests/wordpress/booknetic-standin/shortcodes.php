<?php
/**
 * Booknetic's ShortCodeService and two workflow drivers, reduced to what the shim touches: the
 * service's registerShortCode / addReplacer / replace (with its before/after filters), reached
 * through BookneticApp\Config::getShortCodeService(), and drivers that replace an action's text.
 */

namespace BookneticApp\Providers\Common {

	class ShortCodeService {

		/** @var array<string,array> */
		public $shortcodes = array();

		/** @var callable[] */
		private $replacers = array();

		public function registerShortCode( $code, $params = array() ) {
			$this->shortcodes[ $code ] = $params;
		}

		public function addReplacer( $replacer ) {
			$this->replacers[] = $replacer;
		}

		public function replace( $text, $data ) {
			$text = apply_filters( 'bkntc_short_code_before_replace', $text, $data );
			foreach ( $this->replacers as $replacer ) {
				$text = call_user_func( $replacer, $text, $data, $this );
			}
			return apply_filters( 'bkntc_short_code_after_replace', $text, $data );
		}
	}
}

namespace BookneticApp {

	class Config {

		private static $short_code_service;

		public static function getShortCodeService() {
			if ( null === self::$short_code_service ) {
				self::$short_code_service = new Providers\Common\ShortCodeService();
			}
			return self::$short_code_service;
		}
	}
}

namespace BookneticAddon\EmailWorkflow {

	class EmailWorkflowDriver {

		public function handle( $text, $event_data, $short_code_service ) {
			return $short_code_service->replace( $text, $event_data );
		}
	}
}

namespace BookneticAddon\SmsWorkflow {

	class SmsWorkflowDriver {

		public function handle( $text, $event_data, $short_code_service ) {
			return $short_code_service->replace( $text, $event_data );
		}
	}
}
