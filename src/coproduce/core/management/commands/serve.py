"""Run the production shape on one machine: gunicorn for the web, db_worker for tasks.

Both are child processes; when either stops, or this command gets SIGTERM/SIGINT,
both are stopped, so a process supervisor (systemd, a container runtime) sees one
service that is either wholly up or down. To run more of either, on this machine or
others sharing the database, see docs/deploy.md.
"""

import os
import signal
import subprocess  # runs gunicorn and db_worker, fixed argument lists # nosec B404
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

_GRACE_SECONDS = 20


class Command(BaseCommand):
    help = "Run gunicorn and a db_worker task process together (the production shape)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--web-workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "3"))
        )
        parser.add_argument("--task-workers", type=int, default=1)

    def handle(self, *args: Any, **options: Any) -> None:
        bin_dir = os.path.dirname(sys.executable)
        web = [
            os.path.join(bin_dir, "gunicorn"),
            "coproduce.wsgi:application",
            f"--bind={options['bind']}",
            f"--workers={options['web_workers']}",
            "--access-logfile=-",
        ]
        worker = [sys.executable, "-m", "coproduce.cli", "db_worker", "--no-reload"]
        children = [subprocess.Popen(web)]  # noqa: S603 - fixed argument lists, no shell # nosec B603
        children += [
            subprocess.Popen(worker)  # noqa: S603 - a fixed argument list, no shell # nosec B603
            for _ in range(options["task_workers"])
        ]
        self.stdout.write(f"Coproduce is serving on http://{options['bind']}/")
        stopping = False

        def stop(_signum: int, _frame: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while not stopping and all(child.poll() is None for child in children):
            time.sleep(0.5)
        self._stop(children)
        failed = [child.pid for child in children if child.returncode not in (0, -15)]
        if failed and not stopping:
            sys.exit(f"stopped because process(es) {failed} exited")

    def _stop(self, children: list[subprocess.Popen[bytes]]) -> None:
        for child in children:
            if child.poll() is None:
                child.terminate()
        deadline = time.monotonic() + _GRACE_SECONDS
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
