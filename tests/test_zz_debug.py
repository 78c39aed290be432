from tests.test_booknetic_screens import *  # noqa
from tests.test_booknetic_screens import _open_settings_item

def test_debug(browser, wordpress, wp_sidecar, emulator):
    page = browser.page_as(*ADMIN)
    logs = []
    page.on("console", lambda m: logs.append(m.text))
    page.on("response", lambda r: logs.append(f"{r.status} {r.url}") if "ajax=1" in r.url or "booknetic-zoom" in r.url else None); page.on("pageerror", lambda e: logs.append(f"PAGEERROR {e}"))
    _open_settings_item(page, wordpress, "zoom_platform.platform_view", saas=True)
    page.click("#bkz_save_platform")
    page.wait_for_timeout(3000)
    print("LOGS", logs)
    print("TOAST", page.locator("#fs-toaster").all_inner_texts())
    print([ (r["method"], r["path"], r["status"]) for r in wp_sidecar.requests])
    assert 0
