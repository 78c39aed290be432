"""`make demo` walks the whole product page; it must keep working as the pieces change."""
from sidecar.demo.run import run
from tests.fixtures.database import MYSQL


def test_demo_walks_every_step_of_the_product_page():
    lines = []
    run(MYSQL, echo=lines.append)
    text = "\n".join(lines)
    for heading in ("set up in two layers", "Connect Zoom — OAuth method", "Link Zoom to your staff",
                    "Activate Zoom on the services", "auto-creates a Zoom meeting", "Send the Zoom link",
                    "Disconnect or change Zoom account", "Connect Zoom — Server-to-Server method"):
        assert heading in text
    assert '"Your Zoom account has been connected"' in text
    assert lines[-1].endswith("Every step of the product page worked.")
