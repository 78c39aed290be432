"""Fixtures shared by every test module: see tests/fixtures/."""
import pytest

from tests.fixtures.app import *  # noqa: F401,F403
from tests.fixtures.booknetic import *  # noqa: F401,F403
from tests.fixtures.database import *  # noqa: F401,F403


@pytest.fixture
def zoom_base_url():
    return "http://127.0.0.1:9"
