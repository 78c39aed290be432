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
    ("database", "port", "99999", "[database] port: malformed, expected a port number from 1 to 65535"),
    ("database", "port", "0", "[database] port: malformed"),
    ("sidecar", "bind", "127.0.0.1:87x0", "[sidecar] bind: malformed, expected host:port"),
    ("sidecar", "bind", "127.0.0.1:70000", "[sidecar] bind: malformed"),
    ("sidecar", "bind", "8790", "[sidecar] bind: malformed"),
    ("sidecar", "workers", "0", "[sidecar] workers: malformed, expected a whole number of gunicorn workers, at least 1"),
    ("jobs", "alert_age", "-5", "[jobs] alert_age: malformed"),
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


def test_unknown_key_is_named_as_unknown():
    with pytest.raises(config_mod.ConfigError) as err:
        config_mod.from_mapping(minimal(database={"usr": "root"}))
    assert str(err.value) == ("[database] usr: unknown key (the keys of [database] are host, port, user, password, "
                              "name, socket, table_prefix; see config.example.ini)")
    assert "BKZ_" not in str(err.value)


def test_unknown_section_is_named():
    with pytest.raises(config_mod.ConfigError, match=r"^\[databse\]: unknown section"):
        config_mod.from_mapping({**minimal(), "databse": {"user": "root"}})


def write(path, values) -> str:
    parser = configparser.ConfigParser()
    parser.read_dict(values)
    with path.open("w") as fh:
        parser.write(fh)
    return str(path)


def test_config_ini_in_the_working_directory_is_the_default(tmp_path, monkeypatch):
    write(tmp_path / "config.ini", minimal(database={"name": "from_cwd"}))
    monkeypatch.chdir(tmp_path)
    assert config_mod.load(None, {}).database.name == "from_cwd"


def test_no_config_file_is_its_own_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(config_mod.ConfigError) as err:
        config_mod.load(None, {})
    assert str(err.value).startswith("No config file: pass --config or set BKZ_CONFIG")


def test_a_missing_file_is_named_without_inventing_a_key(tmp_path):
    with pytest.raises(config_mod.ConfigError) as err:
        config_mod.load(str(tmp_path / "nope.ini"), {})
    assert str(err.value) == f"config file {tmp_path / 'nope.ini'}: No such file or directory: check --config or BKZ_CONFIG"
    assert "BKZ_SIDECAR" not in str(err.value)


def test_ini_syntax_error_is_one_line(tmp_path):
    path = tmp_path / "bad.ini"
    path.write_text("user = root\n[database]\n")
    with pytest.raises(config_mod.ConfigError) as err:
        config_mod.load(str(path), {})
    assert str(err.value) == (f"config file {path}, line 1: not ini syntax (MissingSectionHeaderError): "
                              "expected [section] headers and key = value lines")


def test_placeholders_are_config_example_values():
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ROOT / "config.example.ini")
    for (section, key), value in config_mod.PLACEHOLDERS.items():
        assert parser.get(section, key) == value


def test_environment_overrides_file(tmp_path):
    path = write(tmp_path / "bkz.ini", minimal())
    cfg = config_mod.load(path, {"BKZ_DATABASE__NAME": "other", "BKZ_JOBS__MAX_ATTEMPTS": "3"})
    assert cfg.database.name == "other"
    assert cfg.jobs.max_attempts == 3


def test_config_path_from_bkz_config(tmp_path):
    path = write(tmp_path / "bkz.ini", minimal(database={"name": "from_file"}))
    assert config_mod.load(None, {"BKZ_CONFIG": path}).database.name == "from_file"


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
