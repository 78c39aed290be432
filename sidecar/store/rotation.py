"""Re-encrypt every stored secret under the first configured key (`booknetic-zoom rotate-keys`)."""
from __future__ import annotations

from typing import Callable

from sidecar.database import Database
from sidecar.store.crypto import Crypto

# table -> (its key column, its encrypted columns)
ENCRYPTED = {
    "settings": ("tenant_id", ("client_secret_enc", "webhook_secret_enc")),
    "connections": ("tenant_id", ("client_secret_enc", "access_token_enc", "refresh_token_enc")),
    "oauth_states": ("state_hash", ("code_verifier_enc",)),
}


def rotate_all(db: Database, crypto: Crypto, progress: Callable[[str], None] = lambda _: None) -> int:
    """Re-encrypt each secret under the first key, row by row under a row lock; return rows rewritten.

    Raises:
        SecretDecryptError: a secret no configured key opens (the row is left as it was).
    """
    rewritten = 0
    for table, (key, columns) in ENCRYPTED.items():
        ids = [r[key] for r in db.query(f"SELECT {key} FROM {{{table}}}")]
        progress(f"{db.table_name(table)}: {len(ids)} rows")
        for done, row_id in enumerate(ids, 1):
            with db.transaction():
                row = db.query_one(f"SELECT {', '.join(columns)} FROM {{{table}}} WHERE {key} = %(id)s FOR UPDATE",
                                   {"id": row_id})
                if row is None:  # gone meanwhile
                    continue
                sets = ", ".join(f"{c} = %({c})s" for c in columns)
                db.execute(f"UPDATE {{{table}}} SET {sets} WHERE {key} = %(id)s",
                           {**{c: crypto.rotate(row[c]) for c in columns}, "id": row_id})
            rewritten += 1
            if done % 100 == 0 or done == len(ids):
                progress(f"{db.table_name(table)}: {done}/{len(ids)}")
    return rewritten
