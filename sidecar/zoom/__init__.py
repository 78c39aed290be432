"""The Zoom client: OAuth and REST calls with typed errors and safe retries; knows nothing of Booknetic."""
from __future__ import annotations

import random
import time
from typing import Callable

from sidecar.zoom.api import TokenProvider, ZoomApi
from sidecar.zoom.errors import (HELD_MEETING_CODES, ZoomAuthError, ZoomBadRequest, ZoomDailyLimit, ZoomError,
                                 ZoomInvalidAccount, ZoomInvalidClient, ZoomInvalidGrant, ZoomNotFound,
                                 ZoomOutcomeUnknown, ZoomRateLimited, ZoomUnavailable, parse_retry_after)
from sidecar.zoom.oauth import TokenSet, ZoomOAuth, pkce_pair
from sidecar.zoom.transport import CallObserver, Transport

__all__ = ["ZoomClient", "ZoomApi", "ZoomOAuth", "TokenProvider", "TokenSet", "pkce_pair", "parse_retry_after",
           "ZoomError", "ZoomBadRequest", "ZoomAuthError", "ZoomInvalidGrant", "ZoomInvalidClient",
           "ZoomInvalidAccount", "ZoomNotFound", "ZoomRateLimited", "ZoomDailyLimit", "ZoomUnavailable",
           "ZoomOutcomeUnknown", "HELD_MEETING_CODES"]


class ZoomClient:
    """Built once per process from the [zoom] config: `oauth` for tokens, `api` for REST calls; `observe` is
    told of every try (for metrics)."""

    def __init__(self, oauth_base_url: str, api_base_url: str, timeout: float, *, max_retries: int = 2,
                 sleep: Callable[[float], None] = time.sleep, rand: Callable[[], float] = random.random,
                 observe: CallObserver | None = None):
        self.transport = Transport(timeout, max_retries=max_retries, sleep=sleep, rand=rand, observe=observe)
        self.oauth = ZoomOAuth(oauth_base_url, self.transport)
        self.api = ZoomApi(api_base_url, self.transport)

    def close(self) -> None:
        """Close the pooled HTTP connections."""
        self.transport.session.close()
