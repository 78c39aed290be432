"""The booking's own latency in a real WordPress: what each way of doing Zoom adds to Booknetic's request.

A private WordPress (Debian's, served by PHP's built-in server) with the Booknetic stand-in books through
its booking path (admin-ajax bkntc_standin op=create: the row, then Booknetic's hooks), in three set-ups:

  1. no Zoom plugin;
  2. our shim (the job row, then the signed ping to the sidecar under gunicorn, which syncs at once);
  3. bench/wordpress/zoom-inline: Zoom called inside the hook as Booknetic's add-on does for a
     Server-to-Server tenant (a token request, then the create, both synchronous);

each with the Zoom emulator answering at once, after 300 ms, and not at all (a hang). The figure is the
stand-in's own elapsed time of the booking request (hooks included), p50 over the bookings.

Run from the repository root (MariaDB at 127.0.0.1:3306, root, no password; php, WordPress):
  python bench/booking.py [--bookings N] [--hang-bookings M]
"""
from __future__ import annotations

import argparse
import re
import secrets
import shutil
import signal
from pathlib import Path
from tempfile import TemporaryDirectory

import pymysql

from harness import ROOT, connect_tenant, goal, machine, percentile, serve, start_emulator
from sidecar import context
from sidecar.store import migrations
from tests.fixtures.booknetic import DEFAULT_START, Booknetic
from tests.fixtures.database import MYSQL, drop_database, make_config
from tests.fixtures.meetings import write_ini
from tests.fixtures.wordpress import build_site

SHIM = "booknetic-zoom/booknetic-zoom.php"
INLINE = "zoom-inline/zoom-inline.php"
SETUPS = {"no Zoom plugin": [], "our shim": [SHIM], "Zoom inside the hook": [INLINE]}
HANG_S = 60.0  # longer than any timeout involved
# The add-on's way uses WordPress's HTTP client with its default timeout (see the plugin's header).
WP_HTTP_TIMEOUT_S = 5.0


def ping_timeout() -> float:
    """BKZ_Jobs::PING_TIMEOUT, read from the shim."""
    source = (ROOT / "wp-plugin-shim" / "includes" / "class-bkz-jobs.php").read_text()
    return float(re.search(r"const PING_TIMEOUT = (\d+(?:\.\d+)?);", source).group(1))


def use_plugins(site, active: list[str]) -> None:
    """Activate exactly these of the Zoom plugins (Booknetic's stand-in stays on)."""
    site.php('require_once ABSPATH . "wp-admin/includes/plugin.php";'
             f' deactivate_plugins(["{SHIM}", "{INLINE}"], true);'
             f' foreach ({active!r}'.replace("'", '"') + ' as $p) { $r = activate_plugin($p);'
             ' if (is_wp_error($r)) { fwrite(STDERR, $r->get_error_message()); exit(1); } }')


def book(site, world, starts_at: int) -> float:
    """One booking through the stand-in's booking path; Booknetic's request time in ms, hooks included."""
    answer = site.appointment("create", service_id=world.service_id, staff_id=world.staff_id,
                              customer_id=world.customer_id, status="approved", starts_at=starts_at,
                              ends_at=starts_at + 1800, busy_from=starts_at, busy_to=starts_at + 2400,
                              tenant_id=world.tenant_id)
    return float(answer["elapsed_ms"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bookings", type=int, default=15, help="bookings per set-up with a Zoom that answers")
    parser.add_argument("--hang-bookings", type=int, default=3, help="bookings per set-up with a hanging Zoom")
    args = parser.parse_args()
    print(machine())
    emulator, control = start_emulator()
    db_name = f"bkz_bench_wp_{secrets.token_hex(4)}"
    _create_db(db_name)
    site = master = None
    try:
        with TemporaryDirectory() as tmp:
            site = build_site(Path(tmp) / "site", db_name=db_name)
            shutil.copytree(ROOT / "bench" / "wordpress" / "zoom-inline", site.root / "wp-content" / "plugins" /
                            "zoom-inline")
            config = make_config(db_name, zoom_url=control.url, zoom={"timeout": "10"}, logging={"level": "WARNING"},
                                 sidecar={"public_base_url": site.url})
            ctx = context.build(config)
            migrations.migrate(ctx.db)
            world = Booknetic(ctx.db).world(domain="bench")
            host = connect_tenant(ctx, control, world)
            _s2s_for_the_addon_way(site, control, host["account_id"], world.tenant_id)
            site.start()
            url = f"http://127.0.0.1:{site.sidecar_port}"
            ini = write_ini(config, Path(tmp) / "serve.ini",
                            sidecar={"bind": f"127.0.0.1:{site.sidecar_port}", "workers": "2"})
            master = serve(ini, url)
            results = _run(site, world, control, args.bookings, args.hang_bookings)
            ctx.db.close()
        _report(results, args)
    finally:
        if master is not None:
            master.send_signal(signal.SIGTERM)
            master.wait(timeout=30)
        if site is not None:
            site.stop()
        emulator.stdin.close()
        emulator.wait(timeout=10)
        drop_database(db_name)


def _create_db(name: str) -> None:
    """An empty database: WordPress's install and the stand-in make their tables."""
    conn = pymysql.connect(**MYSQL, autocommit=True)
    with conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    conn.close()


def _s2s_for_the_addon_way(site, control, account_id: str, tenant_id: int) -> None:
    """The tenant's Server-to-Server app in the add-on's options, and the emulator's URLs for the plugin."""
    app = control.seed_s2s_app(account_id)
    t = f"bkntc_t{tenant_id}_"
    site.php(f'update_option("{t}zoom_account_id", "{account_id}"); update_option("{t}zoom_client_id",'
             f' "{app["client_id"]}"); update_option("{t}zoom_client_secret", "{app["client_secret"]}");'
             f' update_option("bkz_bench_zoom_urls", ["oauth" => "{control.url}", "api" => "{control.url}/v2"]);')


def _run(site, world, control, n: int, hang_n: int) -> dict:
    """{(zoom, set-up): [ms per booking]}; a hanging Zoom last, since its calls outlive the bookings."""
    results, start = {}, DEFAULT_START
    for zoom, delay, count in (("0 ms", None, n), ("300 ms", 0.3, n), ("hang", HANG_S, hang_n)):
        control.clear_faults()
        if delay is not None:
            control.hang_next(delay, count=10**6)
        for setup_name, plugins in SETUPS.items():
            use_plugins(site, plugins)
            book(site, world, start)  # warm-up: opcache, connections
            start += 3600
            times = []
            for _ in range(count):
                times.append(book(site, world, start))
                start += 3600
            results[(zoom, setup_name)] = times
            print(f"  Zoom {zoom:>6}, {setup_name:<20}: p50 {percentile(times, 50):8.1f} ms, "
                  f"max {max(times):8.1f} ms over {count} bookings", flush=True)
    control.clear_faults()
    return results


def _report(results: dict, args) -> None:
    print("p50 added over set-up 1 (no Zoom plugin), and as a ratio to the add-on's way:")
    added = {}
    for zoom in ("0 ms", "300 ms", "hang"):
        base = percentile(results[(zoom, "no Zoom plugin")], 50)
        shim = percentile(results[(zoom, "our shim")], 50) - base
        inline = percentile(results[(zoom, "Zoom inside the hook")], 50) - base
        added[zoom] = (shim, inline)
        print(f"  Zoom {zoom:>6}: our shim +{shim:.1f} ms, Zoom inside the hook +{inline:.1f} ms, "
              f"shim / inside = {shim / inline if inline > 0 else float('nan'):.2f}")
    shim, inline = added["300 ms"]
    print(goal("with a 300 ms Zoom our shim adds no more than Zoom inside the hook (ratio <= 1)",
               f"{shim / inline:.2f}" if inline > 0 else "n/a", inline > 0 and shim <= inline))
    limit = ping_timeout() * 1000
    shim, inline = added["hang"]
    print(goal(f"with a hanging Zoom our shim delays a booking by no more than the ping timeout ({limit:.0f} ms)",
               f"+{shim:.0f} ms ({shim - limit:+.0f} ms: the hook's own work around the ping)", shim <= limit))
    full = WP_HTTP_TIMEOUT_S * 1000
    print(goal(f"with a hanging Zoom the add-on's way waits its full HTTP timeout ({full:.0f} ms)",
               f"+{inline:.0f} ms", inline >= 0.95 * full))


if __name__ == "__main__":
    main()
