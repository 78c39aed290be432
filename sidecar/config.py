"""Configuration: an ini file, every key overridable by BKZ_SECTION__KEY, validated once at start.

Over 200 lines: one dataclass per ini section and the one validator of each key sit together, so a key's
type, default and error message are read in one place."""
from __future__ import annotations

import configparser
import os
import re
from dataclasses import dataclass
from typing import Callable, Mapping

from cryptography.fernet import Fernet


# Where the config is looked for when neither --config nor BKZ_CONFIG names one.
DEFAULT_PATH = "config.ini"

# The example's values that only look valid: `check` refuses to call a config with them ready.
PLACEHOLDERS = {
    ("sidecar", "public_base_url"): "https://booking.example.com",
    ("sidecar", "shim_shared_secret"): "change-me-to-a-long-random-string",
}


class ConfigError(Exception):
    """The config cannot be used; the one-line message names the file or key and the fix."""


class BadKey(ConfigError):
    """A missing or malformed key; the message names it, what is expected and where to set it."""

    def __init__(self, section: str, key: str, problem: str):
        super().__init__(
            f"[{section}] {key}: {problem} (set it in the config file or BKZ_{section.upper()}__{key.upper()})"
        )


@dataclass(frozen=True)
class DatabaseConfig:
    host: str
    port: int
    user: str
    password: str
    name: str
    socket: str
    table_prefix: str


@dataclass(frozen=True)
class SidecarConfig:
    bind: str
    workers: int
    threads: int
    public_base_url: str
    shim_shared_secret: str


@dataclass(frozen=True)
class SecurityConfig:
    encryption_keys: tuple[str, ...]


@dataclass(frozen=True)
class ZoomConfig:
    oauth_base_url: str
    api_base_url: str
    timeout: float


@dataclass(frozen=True)
class JobsConfig:
    max_attempts: int
    backoff_base: float
    backoff_max: float
    lease_seconds: int
    poll_interval: float
    alert_age: float


@dataclass(frozen=True)
class ShortcodesConfig:
    inline_sync_budget: float
    allow_host_url_for_customers: bool


@dataclass(frozen=True)
class LoggingConfig:
    level: str
    format: str
    file: str
    access_log: bool


@dataclass(frozen=True)
class Config:
    database: DatabaseConfig
    sidecar: SidecarConfig
    security: SecurityConfig
    zoom: ZoomConfig
    jobs: JobsConfig
    shortcodes: ShortcodesConfig
    logging: LoggingConfig


_REQUIRED = object()


def _text(value: str) -> str:
    return value


def _positive_int(value: str) -> int:
    n = int(value)
    if n < 1:
        raise ValueError
    return n


def _port(value: str) -> int:
    n = int(value)
    if not 1 <= n <= 65535:
        raise ValueError
    return n


def _bind(value: str) -> str:
    """host:port as gunicorn takes it (an IPv6 host in brackets)."""
    host, sep, port = value.rpartition(":")
    if not sep or not host:
        raise ValueError
    _port(port)
    return value


def _positive_float(value: str) -> float:
    f = float(value)
    if f <= 0:
        raise ValueError
    return f


def _bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError


def _url(value: str) -> str:
    if not re.match(r"^https?://[^/\s]+", value):
        raise ValueError
    return value.rstrip("/")


def _prefix(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9_]*", value):
        raise ValueError
    return value


def _secret(value: str) -> str:
    if len(value) < 16:
        raise ValueError
    return value


def _fernet_keys(value: str) -> tuple[str, ...]:
    keys = tuple(k.strip() for k in value.split(",") if k.strip())
    if not keys:
        raise ValueError
    for key in keys:
        Fernet(key.encode())  # raises ValueError on a malformed key
    return keys


def _level(value: str) -> str:
    if value.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise ValueError
    return value.upper()


def _log_format(value: str) -> str:
    if value not in ("text", "json"):
        raise ValueError
    return value


# section -> key -> (parser, default or _REQUIRED, what is expected)
SCHEMA: dict[str, dict[str, tuple[Callable[[str], object], object, str]]] = {
    "database": {
        "host": (_text, "127.0.0.1", "a host name or IP"),
        "port": (_port, "3306", "a port number from 1 to 65535"),
        "user": (_text, _REQUIRED, "the MySQL user name"),
        "password": (_text, "", "the MySQL password"),
        "name": (_text, _REQUIRED, "the WordPress database name"),
        "socket": (_text, "", "a unix socket path, or empty for TCP"),
        "table_prefix": (_prefix, "wp_", "the WordPress table prefix (letters, digits, _)"),
    },
    "sidecar": {
        "bind": (_bind, "127.0.0.1:8790", "host:port, the port from 1 to 65535"),
        "workers": (_positive_int, "2", "a whole number of gunicorn workers, at least 1"),
        "threads": (_positive_int, "8", "a whole number of threads per gunicorn worker, at least 1"),
        "public_base_url": (_url, _REQUIRED, "the WordPress site URL, e.g. https://booking.example.com"),
        "shim_shared_secret": (_secret, _REQUIRED, "a shared secret of at least 16 characters"),
    },
    "security": {
        "encryption_keys": (_fernet_keys, _REQUIRED, "comma-separated Fernet keys (booknetic-zoom genkey)"),
    },
    "zoom": {
        "oauth_base_url": (_url, "https://zoom.us", "a URL such as https://zoom.us"),
        "api_base_url": (_url, "https://api.zoom.us/v2", "a URL such as https://api.zoom.us/v2"),
        "timeout": (_positive_float, "10", "seconds, greater than 0"),
    },
    "jobs": {
        "max_attempts": (_positive_int, "8", "a whole number of attempts, at least 1"),
        "backoff_base": (_positive_float, "30", "seconds, greater than 0"),
        "backoff_max": (_positive_float, "3600", "seconds, greater than 0"),
        "lease_seconds": (_positive_int, "120", "a whole number of seconds, at least 1"),
        "poll_interval": (_positive_float, "1", "seconds, greater than 0"),
        "alert_age": (_positive_float, "900", "seconds, greater than 0"),
    },
    "shortcodes": {
        "inline_sync_budget": (_positive_float, "3", "seconds, greater than 0"),
        "allow_host_url_for_customers": (_bool, "false", "true or false"),
    },
    "logging": {
        "level": (_level, "INFO", "DEBUG, INFO, WARNING or ERROR"),
        "format": (_log_format, "text", "text or json"),
        "file": (_text, "", "a file path, or empty for stderr"),
        "access_log": (_bool, "true", "true or false"),
    },
}

_SECTION_TYPES = {
    "database": DatabaseConfig,
    "sidecar": SidecarConfig,
    "security": SecurityConfig,
    "zoom": ZoomConfig,
    "jobs": JobsConfig,
    "shortcodes": ShortcodesConfig,
    "logging": LoggingConfig,
}


def load(path: str | None, environ: Mapping[str, str] | None = None) -> Config:
    """Read the ini file at path (or $BKZ_CONFIG, or ./config.ini), apply BKZ_SECTION__KEY overrides, validate.

    Raises:
        ConfigError: no file, an unreadable one, or naming the first missing or malformed key.
    """
    environ = os.environ if environ is None else environ
    path = path or environ.get("BKZ_CONFIG")
    if not path:
        if not os.path.exists(DEFAULT_PATH):
            raise ConfigError(f"No config file: pass --config or set BKZ_CONFIG (or create ./{DEFAULT_PATH} "
                              "from config.example.ini)")
        path = DEFAULT_PATH
    parser = configparser.ConfigParser(interpolation=None)
    try:
        with open(path, encoding="utf-8") as fh:
            parser.read_file(fh)
    except OSError as exc:
        raise ConfigError(f"config file {path}: {exc.strerror}: check --config or BKZ_CONFIG") from None
    except configparser.Error as exc:
        # configparser's messages span lines and quote the whole line; one line names file and line
        line = getattr(exc, "lineno", None)
        where = f"{path}, line {line}" if line else path
        raise ConfigError(f"config file {where}: not ini syntax ({type(exc).__name__}): "
                          "expected [section] headers and key = value lines") from None
    return from_mapping({s: dict(parser.items(s)) for s in parser.sections()}, environ)


def from_mapping(values: Mapping[str, Mapping[str, str]], environ: Mapping[str, str] | None = None) -> Config:
    """Build a Config from {section: {key: text}} plus environment overrides (used by tests too)."""
    environ = {} if environ is None else environ
    unknown_sections = sorted(set(values) - set(SCHEMA))
    if unknown_sections:
        raise ConfigError(f"[{unknown_sections[0]}]: unknown section (the sections are "
                          f"{', '.join(SCHEMA)}; see config.example.ini)")
    sections = {}
    for section, keys in SCHEMA.items():
        given = values.get(section, {})
        unknown = set(given) - set(keys)
        if unknown:
            raise ConfigError(f"[{section}] {sorted(unknown)[0]}: unknown key (the keys of [{section}] are "
                              f"{', '.join(keys)}; see config.example.ini)")
        parsed = {}
        for key, (parse, default, expected) in keys.items():
            raw = environ.get(f"BKZ_{section.upper()}__{key.upper()}", given.get(key, default))
            if raw is _REQUIRED or (raw == "" and default is _REQUIRED):
                raise BadKey(section, key, f"missing, expected {expected}")
            try:
                parsed[key] = parse(str(raw).strip())
            except (ValueError, TypeError):
                raise BadKey(section, key, f"malformed, expected {expected}") from None
        sections[section] = _SECTION_TYPES[section](**parsed)
    return Config(**sections)
