"""Signed calls to the sidecar from Python, exactly as the PHP shim makes them (demo, benchmarks, tests)."""
from __future__ import annotations

import json as jsonlib

import requests

from sidecar.signing import signed_headers


class SidecarClient:
    """A requests session that signs every call as `tenant` ("platform" or a tenant id)."""

    def __init__(self, base_url: str, secret: str, tenant: int | str = "platform", actor: int = 1,
                 session: requests.Session | None = None):
        self.base_url = base_url.rstrip("/")
        self.secret = secret
        self.tenant = str(tenant)
        self.actor = str(actor)
        self.session = session or requests.Session()

    def as_tenant(self, tenant: int | str, actor: int | None = None) -> "SidecarClient":
        """The same sidecar, signed as another tenant."""
        return SidecarClient(self.base_url, self.secret, tenant, int(actor or self.actor), self.session)

    def request(self, method: str, path: str, json=None, *, body: bytes | None = None, headers: dict | None = None,
                timeout: float = 30, allow_redirects: bool = False) -> requests.Response:
        """Send one signed request; `body` (raw bytes) wins over `json`."""
        raw = body if body is not None else (b"" if json is None else jsonlib.dumps(json).encode())
        signed = signed_headers(self.secret, method, path, raw, tenant=self.tenant, actor=self.actor)
        signed.update(headers or {})
        return self.session.request(method, self.base_url + path, data=raw, headers=signed, timeout=timeout,
                                    allow_redirects=allow_redirects)
