"""Faults on demand: the next N Zoom-facing calls (optionally one endpoint/method) misbehave.

Kinds: "error" (HTTP `status`, default 500, JSON body), "hang" (a stall before acting: sleep `seconds`,
then answer normally: the work is done but a client that timed out never learns it), "rate_limit" (429 with
`limit_type` "QPS" or "Daily-limit"), "invalid_grant" (400 Zoom token error), "xml" (HTTP `status`,
default 400, an XML body as Zoom sometimes sends). A refused connection is not a per-call fault: the
server stops listening for a while (control API POST /refuse, EmulatorServer.refuse_connections).
"""
from __future__ import annotations

import threading
import time
from dataclasses import asdict, dataclass

from flask import Response, jsonify

from . import limits
from .state import EmulatorState

KINDS = ("error", "hang", "rate_limit", "invalid_grant", "xml")

_XML = ('<?xml version="1.0" encoding="UTF-8"?><result><code>{status}</code>'
        "<message>Emulated XML error.</message></result>")


@dataclass
class Fault:
    """One planned misbehaviour with how many more calls it applies to."""

    kind: str
    count: int = 1
    endpoint: str | None = None
    method: str | None = None
    status: int | None = None
    seconds: float = 5.0
    limit_type: str = "QPS"

    def matches(self, endpoint: str, method: str) -> bool:
        """Return whether this fault applies to a call of `endpoint` with `method`."""
        return (self.count > 0 and self.endpoint in (None, endpoint)
                and (self.method is None or self.method.upper() == method))


class FaultPlan:
    """Thread-safe queue of planned faults, consumed first-come first-served."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(self, spec: dict) -> Fault:
        """Plan a fault from a JSON spec.

        Raises:
            ValueError: a missing or unknown kind, or unknown fields.
        """
        fields = list(Fault.__dataclass_fields__)
        unknown = sorted(set(spec) - set(fields))
        if unknown:
            raise ValueError(f"unknown fault field(s) {', '.join(unknown)} (fields: {', '.join(fields)})")
        if "kind" not in spec:
            raise ValueError(f"a fault needs a kind: one of {', '.join(KINDS)}")
        fault = Fault(**spec)
        if fault.kind not in KINDS:
            raise ValueError(f"unknown fault kind: {fault.kind} (expected one of {', '.join(KINDS)})")
        with self._lock:
            self._faults.append(fault)
        return fault

    def take(self, endpoint: str, method: str) -> Fault | None:
        """Consume one use of the first fault matching this call, or return None."""
        with self._lock:
            for fault in self._faults:
                if fault.matches(endpoint, method):
                    fault.count -= 1
                    return fault
            return None

    def pending(self) -> list[dict]:
        """Return the faults that still have uses left."""
        with self._lock:
            return [asdict(f) for f in self._faults if f.count > 0]

    def clear(self) -> None:
        """Drop every planned fault."""
        with self._lock:
            self._faults = []


def apply(fault: Fault, state: EmulatorState, category: str) -> Response | None:
    """Carry out a fault: return the response to send, or None (after hanging) to answer normally."""
    if fault.kind == "hang":
        began = state.generation
        time.sleep(fault.seconds)
        if state.generation != began:  # reset while stalled: its client is gone, so act on nothing
            return Response(status=503)
        return None
    if fault.kind == "rate_limit":
        if fault.limit_type == "Daily-limit":
            refusal = limits.daily_limited(state, category, 0)
        else:
            refusal = limits.qps_limited(category, 0)
        response = jsonify(refusal.body())
        response.status_code = 429
        response.headers.update(refusal.headers)
        return response
    if fault.kind == "invalid_grant":
        response = jsonify({"reason": "Invalid Token!", "error": "invalid_grant"})
        response.status_code = 400
        return response
    status = fault.status or (400 if fault.kind == "xml" else 500)
    if fault.kind == "xml":
        return Response(_XML.format(status=status), status=status, mimetype="application/xml")
    response = jsonify({"code": status, "message": "Emulated server error."})
    response.status_code = status
    return response
