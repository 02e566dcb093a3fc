"""The production shape: `coproduce serve` runs gunicorn and a task worker, and stops both."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def database_url_for_children(tmp_path: Path) -> str:
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        # The test database pytest-django created and migrated for this session.
        return (
            f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:"
            f"{settings['PORT'] or 5432}/{settings['NAME']}"
        )
    return f"sqlite:///{tmp_path / 'serve.sqlite3'}"


def wait_for(url: str, deadline: float) -> int:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                status: int = response.status
                return status
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer in time")


def wait_until(condition: Callable[[], bool], deadline: float) -> None:
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the condition did not come true in time")
        time.sleep(0.3)


def test_serve_answers_with_compressed_static_files_and_stops_both_processes(
    tmp_path: Path,
) -> None:
    env = {
        **os.environ,
        "COPRODUCE_ENV": "production",
        "SECRET_KEY": "s" * 50,
        "FIELD_ENCRYPTION_KEYS": "f" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url_for_children(tmp_path),
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    cli = [sys.executable, "-m", "coproduce.cli"]
    if connection.vendor != "postgresql":
        subprocess.run([*cli, "migrate", "-v", "0"], env=env, check=True, timeout=120)
    subprocess.run(
        [*cli, "collectstatic", "--no-input", "-v", "0"], env=env, check=True, timeout=120
    )
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as written:
        server = subprocess.Popen(
            [*cli, "serve", f"--bind=127.0.0.1:{port}", "--web-workers=1"],
            env=env,
            stdout=written,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        assert wait_for(f"http://127.0.0.1:{port}/", time.monotonic() + 60) == 200
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/static/dist/coproduce.css",
            headers={"Accept-Encoding": "gzip"},
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.headers["Content-Encoding"] == "gzip"
        children = subprocess.run(
            ["pgrep", "-s", str(os.getpgid(server.pid))],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.split()
        assert len(children) >= 3  # serve itself, gunicorn (master + worker), db_worker
        # The task worker runs: it says so once started (which, on a busy machine, can
        # come after gunicorn answers; stopped before, it would have nothing to say).
        wait_until(lambda: "Starting worker" in log.read_text(), time.monotonic() + 60)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    output = log.read_text()
    assert server.returncode == 0, output
    leftover = subprocess.run(
        ["pgrep", "-s", str(server.pid)],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    assert not leftover
