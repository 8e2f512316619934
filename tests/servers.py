"""Real app servers for the multi-server, load and fault tests (issue 11).

``AppServer`` starts one gunicorn instance from the repository's configuration
(``factcheck/gunicorn_conf.py``, sync workers, ``--no-control-socket``) on a
free loopback port, against the test run's PostgreSQL database and a Redis
database of its own, as production runs several of them behind a proxy.
``Browser`` talks to one over HTTP with keep-alive and cookies, fills in the
admin's forms (with their CSRF token and version) and logs in as a real user.
"""

import functools
import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
# This file's own Redis database: other test runs on the machine use others.
REDIS_DB = int(os.environ.get("TEST_SERVERS_REDIS_DB", "13"))
# One key for every instance, as in production: a session made on one is read on the others.
SECRET_KEY = secrets.token_urlsafe(50)
PASSWORD = "synthetic-load-test-password-1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_is_up() -> bool:
    try:
        socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=0.5).close()
        return True
    except OSError:
        return False


def cache_url() -> str:
    return f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}"


def flush_cache():
    """Empty this file's Redis database (answers cached by an earlier run)."""
    import redis

    redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB).flushdb()


def database_url(connection) -> str:
    """The test database ``connection`` uses, as a DATABASE_URL for a server process."""
    settings = connection.settings_dict
    host = settings["HOST"] or "127.0.0.1"
    user = settings["USER"]
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    return f"postgres://{user}{password}@{host}:{settings['PORT'] or 5432}/{settings['NAME']}"


@functools.cache
def server_password(password: str = PASSWORD) -> str:
    """A password hash the servers accept as it is (tests hash with MD5, which the
    servers' settings do not know). Hashed once, with the servers' own default
    hasher and work factor: a hash they would upgrade at login would change, and
    so end every other session of that account (Django ties a session to it)."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    return PBKDF2PasswordHasher().encode(password, secrets.token_hex(11))


def _wait(until, what: str, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while not until():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what}: not after {timeout} s")
        time.sleep(0.2)


# Redis settings a restart must keep: read from the running server, given back on
# the command line, as this machine starts it (daemonized, no configuration file).
REDIS_KEPT_SETTINGS = (
    "port",
    "bind",
    "dir",
    "save",
    "appendonly",
    "logfile",
    "pidfile",
    "daemonize",
    "databases",
)


def restart_redis():
    """Stop Redis and start it again the way it was started, with the settings it
    runs with (``CONFIG GET``); wait until it answers again."""
    import redis

    client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT)
    settings = {name: client.config_get(name)[name] for name in REDIS_KEPT_SETTINGS}
    command = ["redis-server"]
    for name, value in settings.items():
        command += [f"--{name}", *(value.split() if name == "bind" else [value])]
    client.shutdown(nosave=True)  # a cache: nothing to keep
    _wait(lambda: not redis_is_up(), "Redis stopping")
    if settings["daemonize"] == "yes":
        subprocess.run(command, check=True, timeout=30)
    else:
        subprocess.Popen(command, start_new_session=True, stdout=subprocess.DEVNULL)
    _wait(redis_is_up, "Redis starting")


PG_RESTART_MARKER = Path("/tmp/pg-restart-in-progress")


def restart_postgresql():
    """Restart this machine's PostgreSQL cluster; others using it are told by
    ``/tmp/pg-restart-in-progress`` while it happens."""
    (version,) = os.listdir("/etc/postgresql")
    PG_RESTART_MARKER.touch()
    try:
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
            check=True,
            timeout=120,
        )
    finally:
        PG_RESTART_MARKER.unlink(missing_ok=True)


_collected = []


def collect_static():
    """``collectstatic`` once per test run, as a deploy does before starting the
    servers: without DEBUG, pages link the hashed names from its manifest."""
    if _collected:
        return
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env={**os.environ, "FACTCHECK_NO_BOOTSTRAP": "1"},
        check=True,
    )
    _collected.append(True)


class AppServer:
    """One gunicorn instance: ``start()``, ``url``, ``worker_pids()``, ``stop()``."""

    def __init__(self, name: str, database: str, workers: int = 2, log_dir: Path | None = None):
        self.name, self.database, self.workers = name, database, workers
        self.port = free_port()
        self.host = "127.0.0.1"
        self.log_path = (log_dir or Path("/tmp")) / f"gunicorn-{name}-{self.port}.log"
        self.process = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def environment(self) -> dict:
        """Production settings (persistent database connections with health checks,
        no debug pages), served over plain HTTP on loopback: no proxy in front here
        to end TLS, so no redirect to HTTPS."""
        return {
            **os.environ,
            "FACTCHECK_ENV": "production",
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": self.database,
            "CACHE_URL": cache_url(),
            "SECRET_KEY": SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "GUNICORN_BIND": f"{self.host}:{self.port}",
            "WEB_CONCURRENCY": str(self.workers),
            "LOG_LEVEL": "WARNING",
            "FACTCHECK_NO_BOOTSTRAP": "1",
        }

    def start(self, timeout: float = 30) -> "AppServer":
        collect_static()
        self._log = open(self.log_path, "wb")  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn"),
                *("-c", "python:factcheck.gunicorn_conf", "--no-control-socket"),
                "factcheck.wsgi",
            ],
            cwd=ROOT,
            env=self.environment(),
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self.wait_until_healthy(timeout)
        return self

    def wait_until_healthy(self, timeout: float = 30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn {self.name} exited:\n{self.log()}")
            try:
                status, _, _ = Browser(self).request("GET", "/health/")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn {self.name} not healthy after {timeout} s:\n{self.log()}")

    def worker_pids(self) -> list[int]:
        """The master's children: its workers."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self):
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
        self.process = None


class _Forms(HTMLParser):
    """The fields of every form on a page, as a browser would submit them."""

    def __init__(self):
        super().__init__()
        self.forms, self._current, self._textarea, self._select = [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._current = {"action": a.get("action") or "", "fields": []}
            self.forms.append(self._current)
        if self._current is None or ("name" not in a and tag != "option"):
            return
        fields = self._current["fields"]
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            fields.append([a["name"], a.get("value", "on" if kind == "checkbox" else "")])
        elif tag == "textarea":
            self._textarea = [a["name"], ""]
            fields.append(self._textarea)
        elif tag == "select":
            self._select = {"name": a["name"], "chosen": None, "first": None}
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in a:
                self._select["chosen"] = value

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            if self._textarea is not None and self._textarea[1].startswith("\n"):
                self._textarea[1] = self._textarea[1][1:]  # as browsers do
            self._textarea = None
        elif tag == "select" and self._select is not None:
            chosen = self._select["chosen"]
            if chosen is None:
                chosen = self._select["first"] or ""
            self._current["fields"].append([self._select["name"], chosen])
            self._select = None
        elif tag == "form":
            self._current = None


def form_fields(html: str, has_field: str) -> list[list[str]]:
    """The fields of the first form on ``html`` with a field named ``has_field``."""
    parser = _Forms()
    parser.feed(html)
    for form in parser.forms:
        if any(name == has_field for name, _ in form["fields"]):
            return form["fields"]
    raise AssertionError(f"no form with a field {has_field!r} on the page:\n{html[:2000]}")


class Browser:
    """One keep-alive HTTP connection to ``server``, with cookies.

    ``server`` may be swapped (``browser.server = other``): the cookies go along,
    as a reader's do when the proxy sends them to another instance.
    """

    def __init__(self, server: AppServer, timeout: float = 30):
        self.server, self.timeout = server, timeout
        self.cookies: dict[str, str] = {}
        self._connection = None
        self._connected_to = None
        self.last_posted: dict[str, str] = {}  # the last form sent, as sent

    def _connect(self):
        if self._connected_to != (self.server.host, self.server.port):
            self.close()
        if self._connection is None:
            self._connection = http.client.HTTPConnection(
                self.server.host, self.server.port, timeout=self.timeout
            )
            self._connected_to = (self.server.host, self.server.port)
        return self._connection

    def close(self):
        if self._connection is not None:
            self._connection.close()
        self._connection = self._connected_to = None

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        """(status, headers, body as text); reconnects once if the server closed the
        kept-alive connection (sync workers close it after every answer)."""
        headers = {"Host": "127.0.0.1", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            connection = self._connect()
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                text = response.read().decode("utf-8", errors="replace")
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()
                if attempt == 2 or method != "GET":  # never send a form twice
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        return response.status, dict(response.getheaders()), text

    def get(self, path: str, **headers):
        return self.request("GET", path, headers=headers)

    def post(self, path: str, fields):
        body = urlencode(
            [tuple(field) for field in (fields.items() if isinstance(fields, dict) else fields)]
        ).encode()
        return self.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"{self.server.url}{path}",
            },
        )

    def fill_and_post(self, path: str, changes: dict, has_field: str):
        """GET the form at ``path``, change ``changes`` in it, POST it back as loaded."""
        status, _, html = self.get(path)
        assert status == 200, f"GET {path}: {status}\n{html[:2000]}"
        fields = [
            [name, value] for name, value in form_fields(html, has_field) if name not in changes
        ]
        fields += [[name, value] for name, value in changes.items()]
        self.last_posted = dict(fields)
        return self.post(path, fields)

    def login(self, username: str, password: str = PASSWORD) -> int:
        """Log in through the admin's login page; the status of the answer (302 = in)."""
        status, _, _ = self.fill_and_post(
            "/admin/login/?next=/admin/",
            {"username": username, "password": password, "next": "/admin/"},
            has_field="username",
        )
        return status

    def step(self, claim_pk: int, step: str, **fields) -> int:
        """Take a workflow step through the admin's step form; 302 = taken."""
        status, _, _ = self.fill_and_post(
            f"/admin/factcheck/claim/{claim_pk}/step/{step}/", fields, has_field="version"
        )
        return status

    def edit(self, claim_pk: int, reason: str, **fields) -> tuple[int, bool]:
        """Save the claim's change form with ``fields`` changed: (status, saved).

        Saved means redirected away from the form; a save that lost a race to
        another one after the form's own check is sent back to the form (302
        too) with the reason as a message."""
        path = f"/admin/factcheck/claim/{claim_pk}/change/"
        status, headers, _ = self.fill_and_post(
            path, {**fields, "change_reason": reason}, has_field="seen_version"
        )
        location = urlsplit(headers.get("Location", "")).path
        return status, status == 302 and location != path


def public_slugs(browser: Browser, path: str) -> tuple[int, set[str]]:
    """(status, slugs of the claims shown) for the claim list or the API list."""
    status, _, body = browser.get(path)
    if status != 200:
        return status, set()
    if path.startswith("/api/"):
        return status, {row["slug"] for row in json.loads(body)["results"]}
    return status, set(re.findall(r'href="/claims/([a-z0-9-]+)/"', body))
