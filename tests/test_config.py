"""A sysadmin's config: every key documented, overridable from the environment, errors name the key."""
import configparser
from pathlib import Path

import pytest

from sidecar import config as config_mod
from sidecar.store.crypto import generate_key

ROOT = Path(__file__).resolve().parent.parent


def minimal(**overrides):
    values = {
        "database": {"user": "root", "name": "wp"},
        "sidecar": {"public_base_url": "https://booking.example.com", "shim_shared_secret": "x" * 32},
        "security": {"encryption_keys": generate_key()},
    }
    for section, keys in overrides.items():
        values.setdefault(section, {}).update(keys)
    return values


def test_minimal_config_gets_documented_defaults():
    cfg = config_mod.from_mapping(minimal())
    assert cfg.database.table_prefix == "wp_"
    assert cfg.zoom.api_base_url == "https://api.zoom.us/v2"
    assert cfg.shortcodes.allow_host_url_for_customers is False


@pytest.mark.parametrize("section,key,value,expected", [
    ("database", "port", "three", "[database] port: malformed"),
    ("database", "table_prefix", "wp-;DROP", "[database] table_prefix: malformed"),
    ("sidecar", "public_base_url", "booking.example.com", "[sidecar] public_base_url: malformed"),
    ("sidecar", "shim_shared_secret", "short", "[sidecar] shim_shared_secret: malformed"),
    ("security", "encryption_keys", "not-a-fernet-key", "[security] encryption_keys: malformed"),
    ("zoom", "timeout", "0", "[zoom] timeout: malformed"),
    ("shortcodes", "allow_host_url_for_customers", "maybe", "[shortcodes] allow_host_url_for_customers"),
    ("logging", "format", "xml", "[logging] format: malformed"),
])
def test_malformed_key_is_named(section, key, value, expected):
    with pytest.raises(config_mod.ConfigError) as err:
        config_mod.from_mapping(minimal(**{section: {key: value}}))
    assert expected in str(err.value)
    assert f"BKZ_{section.upper()}__{key.upper()}" in str(err.value)


def test_missing_required_key_is_named():
    values = minimal()
    del values["database"]["name"]
    with pytest.raises(config_mod.ConfigError, match=r"\[database\] name: missing"):
        config_mod.from_mapping(values)


def test_unknown_key_is_refused():
    with pytest.raises(config_mod.ConfigError, match=r"\[zoom\] api_url: unknown key"):
        config_mod.from_mapping(minimal(zoom={"api_url": "https://x"}))


def test_environment_overrides_file(tmp_path):
    path = tmp_path / "bkz.ini"
    parser = configparser.ConfigParser()
    parser.read_dict(minimal())
    with path.open("w") as fh:
        parser.write(fh)
    cfg = config_mod.load(str(path), {"BKZ_DATABASE__NAME": "other", "BKZ_JOBS__MAX_ATTEMPTS": "3"})
    assert cfg.database.name == "other"
    assert cfg.jobs.max_attempts == 3


def test_config_path_from_bkz_config(tmp_path):
    path = tmp_path / "bkz.ini"
    parser = configparser.ConfigParser()
    parser.read_dict(minimal(database={"name": "from_file"}))
    with path.open("w") as fh:
        parser.write(fh)
    assert config_mod.load(None, {"BKZ_CONFIG": str(path)}).database.name == "from_file"


def test_example_config_documents_every_key():
    text = (ROOT / "config.example.ini").read_text()
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(text)
    for section, keys in config_mod.SCHEMA.items():
        assert parser.has_section(section), section
        for key in keys:
            assert parser.has_option(section, key), f"[{section}] {key} missing from config.example.ini"
            # the line before each key is its comment
            lines = text.splitlines()
            index = next(i for i, line in enumerate(lines) if line.startswith(f"{key} ="))
            assert lines[index - 1].startswith("#"), f"[{section}] {key} has no comment line"
