<?php
/**
 * Booknetic's extension points, with the real classes' names, signatures and behaviour where an
 * add-on touches them (Booknetic 4.4.1 / SaaS 3.1.0, read from celikeratak/Booknetic): the add-on
 * life cycle, capabilities, Route, SettingsMenuUI, TabUI, ShortCodeService, WorkflowDriver.
 * Each class keeps only what add-ons call; the bodies are the stand-in's own.
 */

namespace BookneticApp\Providers\Core {

	class CapabilitiesException extends \Exception {
	}

	/** Add-ons extend this; its constructor hooks the add-on into Booknetic's life cycle. */
	class AddonLoader {

		public function __construct() {
			add_action( 'bkntc_init', array( $this, 'init' ) );
			add_action( 'bkntc_backend', array( $this, 'initBackend' ) );
			add_action( 'bkntc_frontend', array( $this, 'initFrontend' ) );
			add_action( 'bkntcsaas_init', array( $this, 'initSaaS' ) );
			add_action( 'bkntcsaas_backend', array( $this, 'initSaaSBackend' ) );
			add_action( 'bkntcsaas_frontend', array( $this, 'initSaaSFrontend' ) );
		}

		final public static function getAddonSlug() {
			$parts = explode( '/', plugin_basename( ( new \ReflectionClass( get_called_class() ) )->getFileName() ) );
			return reset( $parts );
		}

		public function init() {}
		public function initBackend() {}
		public function initFrontend() {}
		public function initSaaS() {}
		public function initSaaSBackend() {}
		public function initSaaSFrontend() {}
	}

	class Permission {

		/** Booknetic's resolution for a logged-in user: the tenant owned, else the tenant of the user's staff row. */
		public static function tenantId() {
			global $wpdb;
			$user = get_current_user_id();
			if ( ! $user ) {
				return isset( $_REQUEST['tenant_id'] ) ? (int) $_REQUEST['tenant_id'] : null;
			}
			$tenant = $wpdb->get_var( $wpdb->prepare( "SELECT id FROM {$wpdb->base_prefix}bkntc_tenants WHERE user_id = %d", $user ) );
			if ( null === $tenant ) {
				$tenant = $wpdb->get_var( $wpdb->prepare( "SELECT tenant_id FROM {$wpdb->base_prefix}bkntc_staff WHERE user_id = %d", $user ) );
			}
			return null === $tenant ? null : (int) $tenant;
		}

		public static function isAdministrator() {
			$roles = wp_get_current_user()->roles;
			return in_array( 'administrator', $roles, true ) || in_array( 'booknetic_saas_tenant', $roles, true );
		}
	}

	abstract class AbstractCapabilities {

		public static function register( $capability, $title, $parent = false ): void {
			static::$userCapabilities[ $capability ] = array(
				'title'  => $title,
				'parent' => $parent,
			);
		}

		public static function get( $capability ) {
			return static::$userCapabilities[ $capability ] ?? false;
		}

		public static function must( $capability ): void {
			$info = static::get( $capability );
			if ( false === $info ) {
				throw new CapabilitiesException( 'Capability ' . $capability . ' not found' );
			}
			if ( ! empty( $info['parent'] ) ) {
				static::must( $info['parent'] );
			}
			if ( ! apply_filters( 'bkntc_user_capability_filter', true, $capability ) ) {
				throw new CapabilitiesException( 'Permission denied!' );
			}
		}

		public static function userCan( $capability ): bool {
			try {
				static::must( $capability );
				return true;
			} catch ( CapabilitiesException $e ) {
				return false;
			}
		}
	}

	class Capabilities extends AbstractCapabilities {

		protected static $userCapabilities = array();

		private static $tenantCapabilities = array();

		public static function registerTenantCapability( $capability, $title, $parent = false ) {
			self::$tenantCapabilities[ $capability ] = array(
				'title'  => $title,
				'parent' => $parent,
			);
		}

		public static function getTenantCapabilityList(): array {
			return self::$tenantCapabilities;
		}

		public static function getTenantCapability( $capability ) {
			return self::$tenantCapabilities[ $capability ] ?? false;
		}

		public static function mustTenant( $capability ) {
			if ( ! self::tenantCan( $capability ) ) {
				throw new CapabilitiesException( 'Permission denied!' );
			}
		}

		/** Unknown slugs are allowed, as in Booknetic; known ones go through the SaaS plan filter. */
		public static function tenantCan( $capability ) {
			$info = self::getTenantCapability( $capability );
			if ( false === $info ) {
				return true;
			}
			if ( ! empty( $info['parent'] ) && ! self::tenantCan( $info['parent'] ) ) {
				return false;
			}
			return apply_filters( 'bkntc_tenant_capability_filter', true, $capability );
		}
	}

	/** Route::post(module, controller, actions); init() answers admin.php?page=...&ajax=1 (module, action posted). */
	abstract class AbstractRoute {

		private $controller;
		private $allowed;

		public function __construct( $route, $controller, $allowed_actions, $method ) {
			$this->controller = $controller;
			$this->allowed    = $allowed_actions;
		}

		public static function post( $route, $controller, $allowedActions = array() ) {
			static::$routesPOST[ $route ] = new static( $route, $controller, $allowedActions, 'POST' );
			return static::$routesPOST[ $route ];
		}

		public static function get( $route, $controller, $allowedActions = array() ) {
			static::$routesGET[ $route ] = new static( $route, $controller, $allowedActions, 'GET' );
			return static::$routesGET[ $route ];
		}

		public static function find( $route ) {
			if ( ! isset( static::$routesPOST[ $route ] ) ) {
				throw new \Exception();
			}
			return static::$routesPOST[ $route ];
		}

		/** The AJAX answer: the controller's result through bkntc(saas)_after_request_{module}_{action}, as JSON. */
		public static function init() {
			$module = preg_replace( '/[^a-zA-Z0-9\-_]/', '', (string) ( $_POST['module'] ?? '' ) );
			$action = preg_replace( '/[^a-zA-Z0-9\-_]/', '', (string) ( $_POST['action'] ?? '' ) );
			$route  = static::find( $module );
			$class  = $route->controller;
			$controller             = is_string( $class ) ? new $class() : $class;
			$controller->modulesDir = '';
			$controller->prefix     = static::$prefix;
			if ( ( ! empty( $route->allowed ) && ! in_array( $action, $route->allowed, true ) ) || ! is_callable( array( $controller, $action ) ) ) {
				throw new \Exception();
			}
			try {
				$result = $controller->$action();
			} catch ( CapabilitiesException $e ) {
				$result = array(
					'status'    => 'error',
					'error_msg' => $e->getMessage(),
				);
			}
			$result = apply_filters( static::$prefix . "after_request_{$module}_{$action}", $result );
			echo is_array( $result ) ? wp_json_encode( $result ) : $result;
		}
	}

	class Route extends AbstractRoute {
		protected static $routesPOST = array();
		protected static $routesGET  = array();
		protected static $prefix     = 'bkntc_';
	}
}

namespace BookneticSaaS\Providers\Core {

	class Route extends \BookneticApp\Providers\Core\AbstractRoute {
		protected static $routesPOST = array();
		protected static $routesGET  = array();
		protected static $prefix     = 'bkntcsaas_';
	}
}

namespace BookneticApp\Providers\UI {

	/** A settings menu and its sub items: get(slug) / subItem(action, route) -> slug "route.action". */
	abstract class AbstractSettingsMenuUI {

		private $slug;
		private $title;
		private $priority = 0;
		private $subItems = array();
		private $requireSubItems = false;

		public function __construct( $slug ) {
			$this->slug = $slug;
		}

		public static function get( $action, $route = 'settings' ) {
			$slug = strtolower( $route . '.' . $action );
			if ( empty( static::$items[ $slug ] ) ) {
				static::$items[ $slug ] = new static( $slug );
			}
			return static::$items[ $slug ];
		}

		public function subItem( $action, $route = 'settings' ) {
			$slug = strtolower( $route . '.' . $action );
			if ( empty( $this->subItems[ $slug ] ) ) {
				$this->subItems[ $slug ] = new static( $slug );
			}
			return $this->subItems[ $slug ];
		}

		public function setTitle( $title ) {
			$this->title = $title;
			return $this;
		}

		public function setDescription( $description ) {
			return $this;
		}

		public function setIcon( $icon ) {
			return $this;
		}

		public function setPriority( $priority ) {
			$this->priority = (int) $priority;
			return $this;
		}

		public function requireSubItems() {
			$this->requireSubItems = true;
			return $this;
		}

		public function isSubItemsRequired() {
			return $this->requireSubItems;
		}

		public function getSlug() {
			return $this->slug;
		}

		public function getTitle() {
			return $this->title;
		}

		public function getPriority() {
			return $this->priority;
		}

		public function getSubItems() {
			$items = array_values( $this->subItems );
			usort( $items, fn( $a, $b ) => $a->getPriority() <=> $b->getPriority() );
			return $items;
		}

		public static function getItems() {
			$items = array_values( static::$items );
			usort( $items, fn( $a, $b ) => $a->getPriority() <=> $b->getPriority() );
			return $items;
		}
	}

	class SettingsMenuUI extends AbstractSettingsMenuUI {
		protected static $items = array();
	}

	/** A modal's tabs: TabUI::get('staff_add')->item('details')->addView(path, data, priority). */
	class TabUI {

		protected static $items = array();
		private $slug;
		private $subItems = array();

		public function __construct( $slug ) {
			$this->slug = $slug;
		}

		public static function get( $slug ) {
			if ( empty( static::$items[ $slug ] ) ) {
				static::$items[ $slug ] = new static( $slug );
			}
			return static::$items[ $slug ];
		}

		public function item( $slug ) {
			if ( empty( $this->subItems[ $slug ] ) ) {
				$this->subItems[ $slug ] = new TabItemUI( $slug, $this->slug );
			}
			return $this->subItems[ $slug ];
		}

		public function getSubItems() {
			$items = array_values( $this->subItems );
			usort( $items, fn( $a, $b ) => $a->getPriority() <=> $b->getPriority() );
			return $items;
		}
	}

	class TabItemUI {

		private $slug;
		private $title;
		private $priority = 0;
		private $views = array();

		public function __construct( $slug, $tab_slug ) {
			$this->slug = $slug;
		}

		public function setTitle( $title ) {
			$this->title = $title;
			return $this;
		}

		public function setPriority( $priority ) {
			$this->priority = (int) $priority;
		}

		public function getSlug() {
			return $this->slug;
		}

		public function getTitle() {
			return $this->title;
		}

		public function getPriority() {
			return $this->priority;
		}

		public function addView( $viewPath, $data = array(), $priority = 999 ) {
			$this->views[] = array(
				'path'     => $viewPath,
				'data'     => $data,
				'priority' => $priority,
			);
			return $this;
		}

		/** Each view in priority order, with $parameters = its data callback's answer, else the modal's. */
		public function getContent( $sharedParameters = array() ) {
			ob_start();
			$views = $this->views;
			usort( $views, fn( $a, $b ) => $a['priority'] <=> $b['priority'] );
			foreach ( $views as $view ) {
				$parameters = is_callable( $view['data'] ) ? call_user_func_array( $view['data'], array( $sharedParameters ) )
					: ( ! empty( $view['data'] ) ? $view['data'] : $sharedParameters );
				require $view['path'];
			}
			return ob_get_clean();
		}
	}
}

namespace BookneticSaaS\Providers\UI {

	class SettingsMenuUI extends \BookneticApp\Providers\UI\AbstractSettingsMenuUI {
		protected static $items = array();
	}
}

namespace BookneticApp\Providers\Helpers {

	class Helper {

		public static function isSaaSVersion() {
			return true;
		}
	}
}

namespace BookneticApp\Providers\Common {

	class ShortCodeService {

		/** @var array<string,array> */
		private $shortcodes = array();

		/** @var callable[] */
		private $replacers = array();

		public function registerShortCode( $shortCode, $params = array() ) {
			$params['code']                 = $shortCode;
			$this->shortcodes[ $shortCode ] = array_merge(
				array(
					'name'        => '',
					'description' => '',
					'category'    => 'others',
					'depends'     => '',
					'kind'        => '',
				),
				$params
			);
		}

		/** What the workflow editor lists: shortcodes that depend on nothing or on one of the given parameters. */
		public function getShortCodesList( $filterByDependsParameter = array(), $filterByKind = array(), $groupByCategory = false ) {
			return array_values(
				array_filter(
					$this->shortcodes,
					fn( $s ) => ( empty( $filterByDependsParameter ) || empty( $s['depends'] ) || in_array( $s['depends'], $filterByDependsParameter, true ) )
						&& ( empty( $filterByKind ) || in_array( $s['kind'], $filterByKind, true ) )
				)
			);
		}

		public function addReplacer( $replacer ) {
			if ( is_callable( $replacer ) ) {
				$this->replacers[] = $replacer;
			}
			return $this;
		}

		public function replace( $text, $data ) {
			$text = apply_filters( 'bkntc_short_code_before_replace', $text, $data );
			foreach ( $this->replacers as $replacer ) {
				$text = $replacer( $text, $data, $this );
			}
			return apply_filters( 'bkntc_short_code_after_replace', $text, $data );
		}
	}

	class WorkflowDriver {

		protected $driver;
		protected $name;
		protected $editAction;

		public function setName( $name ) {
			$this->name = $name;
			return $this;
		}

		public function setEditAction( $route, $action ) {
			$this->editAction = $route . '.' . $action;
			return $this;
		}

		public function getDriver() {
			return $this->driver;
		}

		public function getName() {
			return $this->name;
		}

		public function getEditAction() {
			return $this->editAction;
		}

		public function handle( $eventData, $actionSettings, $shortCodeService ) {}
	}

	/** Booknetic's WorkflowEvent: a key with a title, an edit action and the params it passes. */
	class WorkflowEvent {

		private $key;
		private $title;
		private $editAction;
		private $availableParams;

		public function __construct( $key ) {
			$this->key = $key;
		}

		public function getKey() {
			return $this->key;
		}

		public function setTitle( $title ) {
			$this->title = $title;
			return $this;
		}

		public function getTitle() {
			return $this->title;
		}

		public function setEditAction( $route, $action ) {
			$this->editAction = $route . '.' . $action;
			return $this;
		}

		public function getEditAction() {
			return $this->editAction;
		}

		public function setAvailableParams( $params ) {
			$this->availableParams = $params;
			return $this;
		}

		public function getAvailableParams() {
			return $this->availableParams;
		}
	}

	/**
	 * Booknetic's WorkflowEventsManager: get() registers an event on first use; trigger() runs the active
	 * workflows whose `when` is the event (of one tenant when $noTenant and $tenant_id say so) through
	 * their drivers. The stand-in keeps workflows in $workflows instead of bkntc_workflows.
	 */
	class WorkflowEventsManager {

		/** @var WorkflowEvent[] */
		private $workflowEvents = array();

		private $isEnabled = true;

		/** @var array[] each: when, tenant_id, driver (email|sms), data (JSON of the action's fields) */
		public static $workflows = array();

		public function setEnabled( $enabled ) {
			$previous        = $this->isEnabled;
			$this->isEnabled = $enabled;
			return $previous;
		}

		public function isEnabled() {
			return $this->isEnabled;
		}

		public function register( $key, $instance ) {
			$this->workflowEvents[ $key ] = $instance;
			return $this->workflowEvents[ $key ];
		}

		public function getAll() {
			return $this->workflowEvents;
		}

		public function trigger( $eventKey, $params, $filterClosure = false, $noTenant = false, $tenant_id = null ) {
			if ( ! $this->isEnabled || ! array_key_exists( $eventKey, $this->workflowEvents ) ) {
				return;
			}
			$current   = $noTenant ? null : \BookneticApp\Providers\Core\Permission::tenantId();
			$workflows = array_filter(
				self::$workflows,
				function ( $workflow ) use ( $eventKey, $noTenant, $tenant_id, $current ) {
					// Booknetic's MultiTenant scope (unless noTenant), then its where( 'tenant_id', ... ).
					if ( ! $noTenant && $workflow['tenant_id'] !== $current ) {
						return false;
					}
					return $workflow['when'] === $eventKey && ( null === $tenant_id || $workflow['tenant_id'] === (int) $tenant_id );
				}
			);
			if ( is_callable( $filterClosure ) ) {
				$workflows = array_filter( $workflows, $filterClosure );
			}
			$drivers = array(
				'email' => '\BookneticAddon\EmailWorkflow\EmailWorkflowDriver',
				'sms'   => '\BookneticAddon\SmsWorkflow\SmsWorkflowDriver',
			);
			foreach ( $workflows as $workflow ) {
				$driver = new $drivers[ $workflow['driver'] ]();
				$driver->handle( $params, array( 'data' => $workflow['data'], 'when' => $eventKey ), \BookneticApp\Config::getShortCodeService() );
			}
		}

		public function get( $key ) {
			if ( ! array_key_exists( $key, $this->workflowEvents ) ) {
				$this->workflowEvents[ $key ] = new WorkflowEvent( $key );
			}
			return $this->workflowEvents[ $key ];
		}

		public function getList(): array {
			return array_keys( $this->workflowEvents );
		}
	}
}

namespace BookneticApp {

	class Config {

		private static $shortCodeService;

		private static $workflowEventsManager;

		public static function getShortCodeService() {
			if ( null === self::$shortCodeService ) {
				self::$shortCodeService = new Providers\Common\ShortCodeService();
			}
			return self::$shortCodeService;
		}

		public static function getWorkflowEventsManager() {
			if ( null === self::$workflowEventsManager ) {
				self::$workflowEventsManager = new Providers\Common\WorkflowEventsManager();
			}
			return self::$workflowEventsManager;
		}
	}
}

namespace {

	function bkntc__( $text, $params = array(), $esc = true ) {
		return $esc ? esc_html( $text ) : $text;
	}

	function bkntcsaas__( $text, $params = array(), $esc = true ) {
		return $esc ? esc_html( $text ) : $text;
	}
}
