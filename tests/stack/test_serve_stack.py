"""`make serve` end to end: gunicorn, a Celery worker and beat on production settings, a fresh PostgreSQL database
and a Redis database, driven over HTTP as a teacher's browser would (behind the TLS proxy, which says so in
X-Forwarded-Proto), then stopped as Ctrl-C stops it, with no process left behind.

Skipped unless PREZENT_STACK_DATABASE_URL and PREZENT_STACK_BROKER_URL are set; `.ci/run` runs it, or by hand:

    PREZENT_STACK_DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/prezent_stack \\
    PREZENT_STACK_BROKER_URL=redis://127.0.0.1:6379/14 .venv/bin/pytest tests/stack -s

The database named in the URL is dropped and created again; the Redis database is emptied.
"""

import contextlib
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
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from django_otp.oath import totp

ROOT = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get("PREZENT_STACK_DATABASE_URL", "")
BROKER_URL = os.environ.get("PREZENT_STACK_BROKER_URL", "")
READY_SECONDS = 120  # migrate + collectstatic + gunicorn up, on a busy 2-core machine
SCORES_SECONDS = 60
STOP_SECONDS = 60

pytestmark = pytest.mark.skipif(
    not (DATABASE_URL and BROKER_URL),
    reason="the serve stack needs PREZENT_STACK_DATABASE_URL (PostgreSQL) and PREZENT_STACK_BROKER_URL (Redis)",
)


def _fresh_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    assert re.fullmatch(r"[a-z_][a-z0-9_]*", name), f"an unusual database name: {name!r}"
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _stamp() -> str:
    """The Makefile's install stamp: this test runs inside the installed venv, so `make` must not reinstall it."""
    cksum = subprocess.run(
        ["cksum", "requirements.lock"],  # noqa: S607 - the Makefile's own command, from PATH
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()[0]
    return f".venv/.installed-{cksum}"


def _marked_processes(mark: str) -> list[str]:
    """Every process (of this user) still carrying the stack's mark in its environment."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            if mark.encode() in (proc / "environ").read_bytes().split(b"\0"):
                command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                found.append(f"{proc.name} {command}")
    return found


RUN = {"capture_output": True, "text": True, "check": True}


@dataclass
class Browser:
    """A browser behind the TLS proxy: cookies kept (Secure ones too), X-Forwarded-Proto: https."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, str, str]:
        origin = f"https://127.0.0.1:{self.port}"
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",
            "Accept-Encoding": "identity",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        body = None
        if form is not None:
            body = urlencode(form)
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": origin,
                "Referer": origin + path,
            }
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode()
            for header in response.msg.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, response.getheader("Location") or "", text
        finally:
            conn.close()


@pytest.fixture
def stack(tmp_path) -> Iterator[dict]:
    _fresh_database(DATABASE_URL)
    import redis

    redis.Redis.from_url(BROKER_URL).flushdb()
    mark = f"PREZENT_STACK_MARK={uuid.uuid4().hex}"
    port = _free_port()
    keep = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "PREZENT_", "CELERY_", "SECURE_")) and k != "DATABASE_URL"
    }
    env = keep | {
        mark.split("=")[0]: mark.split("=")[1],
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "PREZENT_PSEUDONYM_KEY": secrets.token_urlsafe(32),
        "DATABASE_URL": DATABASE_URL,
        "CELERY_BROKER_URL": BROKER_URL,
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
        "CELERY_CONCURRENCY": "1",
        "PREZENT_STATIC_ROOT": str(tmp_path / "static"),
        "PREZENT_BEAT_SCHEDULE": str(tmp_path / "celerybeat-schedule"),
        "PREZENT_STACK_PASSWORD": secrets.token_urlsafe(16),
        "PREZENT_STACK_TOTP_KEY": secrets.token_hex(20),
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
    }
    log_path = tmp_path / "serve.log"
    started = time.monotonic()
    with log_path.open("wb") as log:
        serve = subprocess.Popen(  # noqa: S603 - make, our own Makefile
            ["make", "--no-print-directory", f"--assume-old={_stamp()}", "serve"],  # noqa: S607 - make from PATH
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    info = {"serve": serve, "env": env, "port": port, "log": log_path, "mark": mark, "started": started}
    try:
        yield info
    finally:
        if serve.poll() is None:  # the test failed before stopping it: leave nothing running
            os.killpg(serve.pid, signal.SIGKILL)
            serve.wait()
        for line in _marked_processes(mark):
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(line.split()[0]), signal.SIGKILL)


def _wait_until_up(stack: dict) -> None:
    browser = Browser(stack["port"])
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        assert stack["serve"].poll() is None, "make serve ended: " + stack["log"].read_text(errors="replace")
        with contextlib.suppress(OSError):
            if browser.request("GET", "/healthz")[0] == 200:
                return
        time.sleep(0.5)
    pytest.fail(f"the stack did not answer /healthz in {READY_SECONDS} s: " + stack["log"].read_text()[-3000:])


def _seed(stack: dict) -> dict:
    source = (Path(__file__).parent / "seed.py").read_text()
    result = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "shell", "-c", source],
        cwd=ROOT,
        env=stack["env"] | {"DJANGO_SETTINGS_MODULE": "config.settings.production"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _plain(port: int, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        response.read()
        return response
    finally:
        conn.close()


def _csrf(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def _scores(child_ids: list[int], on: str) -> dict[int, str]:
    import psycopg

    with psycopg.connect(DATABASE_URL) as conn:
        rows = conn.execute(
            "SELECT child_id, level FROM risk_riskscore WHERE child_id = ANY(%s) AND computed_on = %s",
            (child_ids, on),
        ).fetchall()
    return dict(rows)


def test_make_serve_runs_the_web_the_worker_and_beat_and_stops_them_all(stack):
    timings: dict[str, float] = {}
    _wait_until_up(stack)
    timings["up (migrate, collectstatic, gunicorn)"] = time.monotonic() - stack["started"]
    data = _seed(stack)
    browser = Browser(stack["port"])

    # Production's settings are the ones running: plain HTTP is sent to HTTPS (the proxy's health check excepted),
    # HTTPS carries HSTS.
    redirected = _plain(stack["port"], "/autentificare/")
    assert redirected.status == 301
    assert redirected.getheader("Location", "").startswith("https://")
    assert _plain(stack["port"], "/healthz").status == 200
    secure = _plain(stack["port"], "/autentificare/", {"X-Forwarded-Proto": "https"})
    assert secure.status == 200
    assert "max-age=31536000" in secure.getheader("Strict-Transport-Security", "")

    status, _location, login_page = browser.request("GET", "/autentificare/")
    assert status == 200
    password = stack["env"]["PREZENT_STACK_PASSWORD"]
    form = {"csrfmiddlewaretoken": _csrf(login_page), "username": data["username"], "password": password}
    status, location, _body = browser.request("POST", "/autentificare/", form)
    assert status == 302, _body[:500]
    assert "sessionid" in browser.cookies

    # Production asks a role that sees children for the second factor before any other page.
    status, location, _body = browser.request("GET", location)
    assert status == 302 and location.startswith("/doi-pasi/"), (status, location)
    status, _location, page = browser.request("GET", location)
    assert status == 200
    # The suite's clock is the fixed test day (conftest.py); the server's is the machine's: the code is of real time.
    now = float(subprocess.run([sys.executable, "-c", "import time; print(time.time())"], **RUN).stdout)
    token = f"{totp(bytes.fromhex(stack['env']['PREZENT_STACK_TOTP_KEY']), t0=int(time.time() - now)):06d}"
    verify = {"csrfmiddlewaretoken": _csrf(page), "token": token}
    status, location, body = browser.request("POST", "/doi-pasi/?next=%2F", verify)
    assert status == 302 and "/doi-pasi/" not in location, re.findall(r'class="errorlist[^>]*>(.*?)</ul>', body, re.S)

    register = f"/risc/condica/clasa/{data['class_id']}/{data['day']}/"
    status, _location, page = browser.request("GET", register)
    assert status == 200
    absent = data["child_ids"][:2]
    assert all(f'name="absent_{child_id}"' in page for child_id in data["child_ids"])
    # A query string may carry a child's name (a search): the access log writes the path without it.
    status, _location, _page = browser.request("GET", register + "?q=Nume-De-Copil-Cautat")
    assert status == 200
    assert _scores(data["child_ids"], data["today"]) == {}
    form = {"csrfmiddlewaretoken": _csrf(page), "day_hours": "4"} | {f"absent_{c}": "on" for c in absent}
    saved_at = time.monotonic()
    status, location, body = browser.request("POST", register, form)
    assert status == 302, body[:1000]
    assert location == f"/condica/clasa/{data['class_id']}/"

    # The view queued the recompute on Redis; only the worker can have written these rows.
    deadline = saved_at + SCORES_SECONDS
    scores: dict[int, str] = {}
    while time.monotonic() < deadline and set(scores) != set(absent):
        time.sleep(0.5)
        scores = _scores(data["child_ids"], data["today"])
    assert set(scores) == set(absent), f"the worker stored {scores} in {SCORES_SECONDS} s"
    timings["register saved → scores stored by the worker"] = time.monotonic() - saved_at

    # Ctrl-C: SIGINT to the terminal's whole process group.
    stopping = time.monotonic()
    os.killpg(stack["serve"].pid, signal.SIGINT)
    stack["serve"].wait(timeout=STOP_SECONDS)
    timings["Ctrl-C → everything stopped"] = time.monotonic() - stopping
    log = stack["log"].read_text(errors="replace")
    assert "serve: stopped in" in log
    for name in ("celery@", "beat: Starting", "Booting worker"):
        assert name in log, f"{name!r} not in the log: the three processes did not all start"
    assert f"GET {register} HTTP" in log  # the access log is written
    assert "Nume-De-Copil-Cautat" not in log
    assert _marked_processes(stack["mark"]) == []
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", stack["port"]), timeout=2):
        pass
    timings["total"] = time.monotonic() - stack["started"]
    sys.stdout.write("\n" + "\n".join(f"{name}: {seconds:.1f} s" for name, seconds in timings.items()) + "\n")
