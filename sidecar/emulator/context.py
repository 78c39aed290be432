"""The per-app emulator runtime that every blueprint reaches through `current()`."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from .faults import FaultPlan
from .recorder import Recorder
from .state import EmulatorState
from .webhooks import WebhookSender


@dataclass
class Emulator:
    """Everything one emulator app holds: data, call log, planned faults, webhook sender."""

    state: EmulatorState
    recorder: Recorder
    faults: FaultPlan
    webhooks: WebhookSender

    def reset(self) -> None:
        """Return to an empty emulator with its starting options."""
        self.state.reset()
        self.recorder.reset()
        self.faults.clear()
        self.webhooks.reset()


def current() -> Emulator:
    """Return the emulator runtime of the Flask app handling this request."""
    return current_app.extensions["zoom_emulator"]
