"""Running the emulator: `EmulatorServer` (background thread, free port) and `serve()` for the CLI."""
from __future__ import annotations

import threading

from werkzeug.serving import WSGIRequestHandler, make_server

from .app import create_emulator_app
from .client import EmulatorControl
from .options import EmulatorOptions

DEMO_PASSWORD = "zoom-demo"


class _QuietHandler(WSGIRequestHandler):
    """HTTP/1.1 request handler without per-request access log lines (tests read the call log).

    Werkzeug still closes the connection after every answer, so each call pays a TCP connect that real
    Zoom's keep-alive would spare; benchmarks take that into account.
    """

    protocol_version = "HTTP/1.1"

    def log_request(self, code="-", size="-") -> None:
        """Skip the access log."""


class _PlainLogHandler(WSGIRequestHandler):
    """Access log lines without werkzeug's ANSI colours, which end up as escape codes in log files."""

    def log_request(self, code="-", size="-") -> None:
        """Log `"GET /path HTTP/1.1" 200 123` plainly."""
        self.log("info", '"%s" %s %s', self.requestline, code, size)


class EmulatorServer:
    """The emulator on 127.0.0.1 in a threaded werkzeug server running in a daemon thread."""

    def __init__(self, options: dict | EmulatorOptions | None = None) -> None:
        self.app = create_emulator_app(options)
        self._server = None
        self._thread: threading.Thread | None = None
        self._relisten: threading.Timer | None = None
        self._lock = threading.Lock()
        self.url = ""
        # The control API's POST /refuse reaches the listening socket through this.
        self.app.config["EMULATOR_REFUSE"] = self.refuse_connections

    def start(self, port: int = 0) -> EmulatorServer:
        """Listen on a free port (or `port`) and serve in the background; return self."""
        self._server = make_server("127.0.0.1", port, self.app, threaded=True, request_handler=_QuietHandler)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="zoom-emulator", daemon=True)
        self._thread.start()
        return self

    def refuse_connections(self, seconds: float) -> None:
        """Stop listening for `seconds`, so connections are refused as when Zoom is unreachable, then listen
        again on the same port with the same data (calls already being answered finish)."""
        with self._lock:
            if self._server is None:
                return
            port = self._server.server_port
            self._close()
            self._relisten = threading.Timer(seconds, self._listen_again, (port,))
            self._relisten.daemon = True
            self._relisten.start()

    def _listen_again(self, port: int) -> None:
        with self._lock:
            if self._relisten is not None:
                self._relisten = None
                self.start(port)

    def _close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
        self._server = None

    @property
    def oauth_base_url(self) -> str:
        """Base URL of `/oauth/...` (the emulator's `https://zoom.us`)."""
        return self.url

    @property
    def api_base_url(self) -> str:
        """Base URL of the REST API (the emulator's `https://api.zoom.us/v2`)."""
        return self.url + "/v2"

    @property
    def control(self) -> EmulatorControl:
        """A control helper bound to this server."""
        return EmulatorControl(self.url)

    def stop(self) -> None:
        """Stop serving (and refusing) and wait for the server thread."""
        with self._lock:
            if self._relisten is not None:
                self._relisten.cancel()
                self._relisten = None
            if self._server is not None:
                self._close()


def seed_demo(control: EmulatorControl) -> dict:
    """Seed one demo account (owner + 3 users incl. one pending), an OAuth app and an S2S app."""
    account = control.seed_account(account_id="demoAccount0000000001", timezone="Europe/Berlin")
    owner = control.seed_user(account, "owner@demo.example", "Olivia", "Owner", role_name="Owner",
                              password=DEMO_PASSWORD)
    users = [control.seed_user(account, f"{name.lower()}@demo.example", name, "Demo", password=DEMO_PASSWORD)
             for name in ("Anna", "Ben")]
    users.append(control.seed_user(account, "pending@demo.example", "Pia", "Pending", status="pending"))
    oauth_app = control.seed_oauth_app("http://127.0.0.1:8080/?booknetic_action=zoom_oauth_callback",
                                       client_id="demoOAuthClientId0001", client_secret="demoOAuthClientSecret0001",
                                       secret_token="demoWebhookSecret0001")
    s2s_app = control.seed_s2s_app(account, client_id="demoS2SClientId000001",
                                   client_secret="demoS2SClientSecret001", secret_token="demoS2SWebhookSecret1")
    return {"account_id": account, "owner": owner, "users": users, "oauth_app": oauth_app, "s2s_app": s2s_app}


def serve(host: str = "127.0.0.1", port: int = 9900, options: dict | None = None) -> None:
    """Run the emulator in the foreground with the demo seed, printing its credentials (CLI `emulator`)."""
    app = create_emulator_app(options)
    server = make_server(host, port, app, threaded=True, request_handler=_PlainLogHandler)
    url = f"http://{host}:{server.server_port}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    demo = seed_demo(EmulatorControl(url))
    lines = [
        f"Zoom emulator at {url} (OAuth base {url}, API base {url}/v2, control {url}/_emulator/)",
        f"account {demo['account_id']}; users (password {DEMO_PASSWORD}): "
        + ", ".join(u["email"] for u in [demo["owner"], *demo["users"]]),
        f"OAuth app: client_id={demo['oauth_app']['client_id']} client_secret={demo['oauth_app']['client_secret']} "
        f"redirect_uri={demo['oauth_app']['redirect_uri']} secret_token={demo['oauth_app']['secret_token']}",
        f"S2S app: account_id={demo['account_id']} client_id={demo['s2s_app']['client_id']} "
        f"client_secret={demo['s2s_app']['client_secret']}",
    ]
    print("\n".join(lines), flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.shutdown()
