"""The booknetic-zoom command: thin wrappers around plain functions.

Over 200 lines: every subcommand's options and help live here, so `--help` and the deploy units' check read
one place."""
from __future__ import annotations

import sys

import click
import pymysql

from sidecar import config as config_mod
from sidecar import db_errors
from sidecar.store.crypto import generate_key


class _Ctx:
    def __init__(self, path: str | None):
        self.path = path
        self.loaded: config_mod.Config | None = None

    def config(self) -> config_mod.Config:
        self.loaded = config_mod.load(self.path)
        return self.loaded


class _Commands(click.Group):
    """Routine failures (config, database) end in one line naming the key and the fix, not a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except config_mod.ConfigError as exc:
            raise click.ClickException(str(exc)) from None
        except pymysql.err.Error as exc:
            loaded = ctx.obj.loaded if isinstance(ctx.obj, _Ctx) else None
            if loaded is None:
                raise
            raise click.ClickException(db_errors.explain(exc, loaded.database)) from None


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="booknetic-zoom", prog_name="booknetic-zoom")
@click.option("--config", "config_path", envvar="BKZ_CONFIG",
              help=f"ini file (default: $BKZ_CONFIG, else ./{config_mod.DEFAULT_PATH})")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None) -> None:
    """Zoom integration sidecar for Booknetic SaaS."""
    ctx.obj = _Ctx(config_path)


@cli.command()
@click.option("--wait", "wait_seconds", type=click.IntRange(0, 3600), default=60, show_default=True,
              help="seconds to wait for another migrate to finish")
@click.pass_obj
def migrate(obj: _Ctx, wait_seconds: int) -> None:
    """Create or upgrade our tables (safe to run again)."""
    from sidecar.store import migrations
    from sidecar.database import Database

    cfg = obj.config()
    db = Database(cfg.database)
    try:
        applied = migrations.migrate(db, progress=click.echo, wait_seconds=wait_seconds)
    except migrations.MigrationBusy as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"schema at version {migrations.LATEST}" + ("" if applied else " (nothing to do)"))


@cli.command()
@click.option("--bind", help="host:port (default: [sidecar] bind)")
@click.option("--workers", type=int, help="gunicorn workers (default: [sidecar] workers)")
@click.pass_obj
def serve(obj: _Ctx, bind: str | None, workers: int | None) -> None:
    """Serve the sidecar API under gunicorn."""
    from sidecar import logs
    from sidecar.metrics import multiprocess
    from sidecar.serve import BindError, run

    cfg = obj.config()
    if workers is not None and workers < 1:
        raise click.BadParameter("at least 1", param_hint="--workers")
    logs.configure(cfg.logging)  # a [logging] file that cannot be opened is one line, before gunicorn starts
    try:
        # Every gunicorn worker writes its metrics to one directory, set before prometheus_client is imported.
        with multiprocess.prepared():
            run(cfg, bind=bind or cfg.sidecar.bind, workers=workers or cfg.sidecar.workers)
    except BindError as exc:
        raise click.ClickException(f"{'--bind' if bind else '[sidecar] bind'}: {exc}") from None


@cli.command()
@click.pass_obj
def check(obj: _Ctx) -> None:
    """Check config, database, Booknetic tables, schema, keys and Zoom: one line each."""
    from sidecar.checks import run_checks

    ok = True
    for result in run_checks(obj.path):
        ok &= result.ok
        click.echo(f"{'ok  ' if result.ok else 'FAIL'} {result.item}: {result.detail}")
    sys.exit(0 if ok else 1)


@cli.command("rotate-keys")
@click.pass_obj
def rotate_keys(obj: _Ctx) -> None:
    """Re-encrypt every stored secret under the first of [security] encryption_keys."""
    from sidecar.store.crypto import Crypto
    from sidecar.database import Database
    from sidecar.store.rotation import rotate_all

    cfg = obj.config()
    count = rotate_all(Database(cfg.database), Crypto(cfg.security.encryption_keys), progress=click.echo)
    click.echo(f"{count} rows now encrypted under the first key; older keys can be removed from the config")


@cli.command("import-addon")
@click.option("--dry-run", is_flag=True, help="say what would be imported; change nothing")
@click.option("--purge-plaintext", is_flag=True, help="delete the add-on's plain-text secrets once imported")
@click.pass_obj
def import_addon(obj: _Ctx, dry_run: bool, purge_plaintext: bool) -> None:
    """Take over an install of Booknetic's Zoom add-on without reconnecting anyone."""
    from sidecar import context
    from sidecar.services.import_addon import import_addon as run_import

    report = run_import(context.build(obj.config()), dry_run=dry_run, purge_plaintext=purge_plaintext,
                        progress=click.echo)
    click.echo(f"platform settings: {report.platform}; tenants: {len(report.tenants)}"
               + (f"; plain-text secret options deleted: {report.purged_options}" if purge_plaintext else "")
               + (" (dry run: nothing changed)" if dry_run else ""))


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=9900, show_default=True, type=int)
def emulator(host: str, port: int) -> None:
    """Run the Zoom API emulator with a small demo seed (needs no config)."""
    from sidecar.emulator.server import serve as serve_emulator

    serve_emulator(host, port)


@cli.command()
@click.option("--db-host", default="127.0.0.1", show_default=True, help="MariaDB/MySQL for a throwaway database")
@click.option("--db-port", default=3306, show_default=True, type=int)
@click.option("--db-user", default="root", show_default=True)
@click.option("--db-password", default="", show_default=False)
def demo(db_host: str, db_port: int, db_user: str, db_password: str) -> None:
    """Run the whole product page end to end on the Zoom emulator (needs no config)."""
    from sidecar.demo.run import DemoFailed, run

    try:
        run({"host": db_host, "port": db_port, "user": db_user, "password": db_password}, echo=click.echo)
    except DemoFailed as exc:
        raise click.ClickException(f"demo step failed: {exc}") from None
    except pymysql.err.Error as exc:
        raise click.ClickException(
            f"MariaDB at {db_host}:{db_port} as {db_user}: {db_errors.reason(exc)}: pass --db-host, --db-port, "
            "--db-user or --db-password, or run `make demo`, which starts a throwaway MariaDB") from None


@cli.command()
@click.option("--metrics-bind", metavar="HOST:PORT",
              help="answer GET /metrics with this worker's counters there (default: no metrics port)")
@click.pass_obj
def worker(obj: _Ctx, metrics_bind: str | None) -> None:
    """Drain the sync jobs until SIGTERM (finishes the running job first)."""
    from sidecar import logs
    from sidecar.worker import run_forever

    cfg = obj.config()
    logs.configure(cfg.logging)
    if metrics_bind:
        _serve_worker_metrics(metrics_bind)
    handled = run_forever(cfg)
    click.echo(f"worker stopped after {handled} jobs")


def _serve_worker_metrics(bind: str) -> None:
    from sidecar.metrics.exposition import serve_worker_metrics
    from sidecar.serve import BindError, ensure_bindable

    try:
        ensure_bindable(bind)
    except BindError as exc:
        raise click.ClickException(f"--metrics-bind: {exc}") from None
    host, _, port = bind.rpartition(":")
    serve_worker_metrics(host.strip("[]"), int(port))


@cli.command()
@click.option("--tenant", "tenant_id", type=int, help="only this tenant")
@click.option("--repair", is_flag=True, help="run the sync on every finding (recreates meetings deleted on Zoom)")
@click.pass_obj
def reconcile(obj: _Ctx, tenant_id: int | None, repair: bool) -> None:
    """Compare Booknetic, our meeting rows and Zoom for upcoming appointments."""
    from sidecar import context
    from sidecar.services.reconcile import reconcile as run

    report = run(context.build(obj.config()), tenant_id, repair=repair, progress=click.echo)
    click.echo(f"{report.checked} appointments checked, {len(report.findings)} findings"
               + (f", {report.repaired} repaired, {len(report.repair_errors)} repairs failed" if repair else ""))
    sys.exit(1 if report.repair_errors or (report.findings and not repair) else 0)


@cli.command()
def genkey() -> None:
    """Print a new encryption key for [security] encryption_keys."""
    click.echo(generate_key())


def main() -> None:
    """Console script entry point."""
    cli(prog_name="booknetic-zoom")
