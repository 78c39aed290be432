"""Our tables on real MariaDB: versioned idempotent migrations under any prefix, secrets encrypted at rest."""
import pytest

from sidecar.database import Database
from sidecar.store import migrations
from sidecar.store.crypto import Crypto, SecretDecryptError, generate_key
from tests.fixtures.database import create_database, drop_database, make_config


@pytest.fixture
def fresh_db():
    made = []

    def make(prefix="wp_"):
        name = create_database(prefix)
        made.append(name)
        return Database(make_config(name, prefix=prefix).database)

    yield make
    for name in made:
        drop_database(name)


def tables(db):
    return sorted(r["t"] for r in db.query(
        "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE()"))


def test_migrate_twice_changes_nothing_the_second_time(fresh_db):
    db = fresh_db()
    assert migrations.migrate(db) == [m[0] for m in migrations.MIGRATIONS]
    before = tables(db)
    schema_rows = db.query("SELECT version, applied_at FROM {schema}")
    assert migrations.migrate(db) == []
    assert tables(db) == before
    assert db.query("SELECT version, applied_at FROM {schema}") == schema_rows
    assert migrations.current_version(db) == migrations.LATEST


def test_migrations_respect_the_table_prefix(fresh_db):
    db = fresh_db("site2_")
    migrations.migrate(db)
    ours = [t for t in tables(db) if "zoom" in t]
    assert ours and all(t.startswith("site2_bkntc_zoom_") for t in ours)
    assert "site2_bkntc_zoom_jobs" in ours and "site2_bkntc_appointments" in tables(db)


def test_unmigrated_database_has_no_version(fresh_db):
    assert migrations.current_version(fresh_db()) is None


def test_secret_round_trips_and_is_not_stored_in_clear():
    crypto = Crypto((generate_key(),))
    token = crypto.encrypt("zoom-access-token")
    assert "zoom-access-token" not in token
    assert crypto.decrypt(token) == "zoom-access-token"


def test_rotated_key_still_decrypts_old_rows(db):
    old_key, new_key = generate_key(), generate_key()
    old = Crypto((old_key,))
    db.execute("INSERT INTO {settings} (tenant_id, client_secret_enc) VALUES (0, %(c)s)",
               {"c": old.encrypt("platform-secret")})
    rotated = Crypto((new_key, old_key))
    stored = db.query_one("SELECT client_secret_enc FROM {settings} WHERE tenant_id = 0")["client_secret_enc"]
    assert rotated.decrypt(stored) == "platform-secret"
    assert Crypto((new_key,)).decrypt(rotated.rotate(stored)) == "platform-secret"


def test_secret_under_a_dropped_key_fails_clearly():
    stored = Crypto((generate_key(),)).encrypt("s")
    with pytest.raises(SecretDecryptError, match=r"\[security\] encryption_keys"):
        Crypto((generate_key(),)).decrypt(stored)


def test_connection_survives_a_killed_session(db):
    first = db.query_one("SELECT CONNECTION_ID() AS id")["id"]
    killer = Database(db.cfg)
    killer.execute("KILL %(id)s", {"id": first})
    killer.close()
    assert db.query_one("SELECT CONNECTION_ID() AS id")["id"] != first


def test_rotate_keys_re_encrypts_every_secret_under_the_new_key(db):
    from sidecar.store import settings
    from sidecar.store.rotation import rotate_all

    old_key, new_key = generate_key(), generate_key()
    settings.save_platform(db, Crypto((old_key,)), enabled=True, method="oauth", client_id="cid",
                           client_secret="platform-secret", webhook_secret_token="hook-secret")
    progress = []
    assert rotate_all(db, Crypto((new_key, old_key)), progress.append) == 1
    assert any("1/1" in line for line in progress)
    after = settings.platform(db, Crypto((new_key,)))  # the old key is no longer needed
    assert (after.client_secret, after.webhook_secret_token) == ("platform-secret", "hook-secret")
