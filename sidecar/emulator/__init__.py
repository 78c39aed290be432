"""The Zoom API emulator: OAuth, REST, limits, faults and webhooks, driven through `/_emulator/...`."""
from .app import create_emulator_app
from .client import EmulatorControl, EmulatorError
from .options import EmulatorOptions
from .server import EmulatorServer, seed_demo, serve

__all__ = ["EmulatorControl", "EmulatorError", "EmulatorOptions", "EmulatorServer", "create_emulator_app",
           "seed_demo", "serve"]
