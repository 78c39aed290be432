"""Fixtures shared by every test module: see tests/fixtures/."""
import pytest

from tests.fixtures.app import *  # noqa: F401,F403
from tests.fixtures.booknetic import *  # noqa: F401,F403
from tests.fixtures.connect import *  # noqa: F401,F403
from tests.fixtures.database import *  # noqa: F401,F403
from tests.fixtures.emulator import *  # noqa: F401,F403
from tests.fixtures.meetings import *  # noqa: F401,F403


@pytest.fixture
def zoom_base_url(emulator):
    """The sidecar under test talks to the (freshly reset) Zoom emulator."""
    return emulator.url
