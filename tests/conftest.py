"""Fixtures shared by every test module, registered from tests/fixtures/ (one module per thing they build)."""
import pytest

pytest_plugins = [
    "tests.fixtures.database",  # first: the others import it
    "tests.fixtures.emulator",
    "tests.fixtures.app",
    "tests.fixtures.booknetic",
    "tests.fixtures.connect",
    "tests.fixtures.meetings",
    "tests.fixtures.wordpress",  # a real WordPress with the shim and a Booknetic, Chromium
]


@pytest.fixture
def zoom_base_url(emulator):
    """The sidecar under test talks to the (freshly reset) Zoom emulator."""
    return emulator.url
