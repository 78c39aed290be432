"""Secret encryption at rest: MultiFernet over the configured keys (the first encrypts, all decrypt)."""
from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class SecretDecryptError(Exception):
    """A stored secret could not be decrypted with any configured key ([security] encryption_keys)."""


class Crypto:
    """Encrypt and decrypt short secrets (tokens, client secrets) as text."""

    def __init__(self, keys: tuple[str, ...]):
        self._fernet = MultiFernet([Fernet(k.encode()) for k in keys])
        self.primary_key = keys[0]

    def encrypt(self, plaintext: str | None) -> str | None:
        """Ciphertext of plaintext, or None for None."""
        if plaintext is None:
            return None
        return self._fernet.encrypt(plaintext.encode()).decode()

    def decrypt(self, ciphertext: str | None) -> str | None:
        """Plaintext of ciphertext, or None for None.

        Raises:
            SecretDecryptError: no configured key opens it.
        """
        if ciphertext is None:
            return None
        try:
            return self._fernet.decrypt(ciphertext.encode()).decode()
        except InvalidToken:
            raise SecretDecryptError(
                "a stored secret cannot be decrypted with any of [security] encryption_keys"
            ) from None

    def rotate(self, ciphertext: str | None) -> str | None:
        """Re-encrypt ciphertext under the first key."""
        if ciphertext is None:
            return None
        try:
            return self._fernet.rotate(ciphertext.encode()).decode()
        except InvalidToken:
            raise SecretDecryptError(
                "a stored secret cannot be decrypted with any of [security] encryption_keys"
            ) from None


def generate_key() -> str:
    """A new Fernet key, for config."""
    return Fernet.generate_key().decode()
