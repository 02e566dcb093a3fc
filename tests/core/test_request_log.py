"""The request log: one line a request, with its id, and nothing personal; the lines of
structlog and of the standard library in one format."""

import json
import os
import re
import subprocess
import sys

import pytest
import structlog
from django.test import Client
from structlog.testing import capture_logs

from tests.conftest import World
from tests.core.test_settings import run_python


def requests_logged(client: Client, url: str) -> list[dict[str, object]]:
    with capture_logs(processors=[structlog.contextvars.merge_contextvars]) as lines:
        client.get(url)
    return [line for line in lines if line["event"] == "request"]


@pytest.mark.django_db
def test_a_request_is_one_line_without_its_query_or_who_made_it(world: World) -> None:
    client = Client()
    user = world.users["manager of A"]
    assert user is not None
    client.force_login(user)
    [line] = requests_logged(client, "/?q=Refuge+Road+survivor")
    assert line["logger"] == "coproduce.request"
    assert (line["method"], line["path"], line["status"], line["signed_in"]) == (
        "GET", "/", 200, True,
    )  # fmt: skip
    assert re.fullmatch(r"[0-9a-f]{12}", str(line["request_id"]))
    text = json.dumps(line)
    assert "Refuge" not in text
    assert user.username not in text


@pytest.mark.django_db
def test_each_request_has_its_own_id() -> None:
    client = Client()
    [first] = requests_logged(client, "/")
    [second] = requests_logged(client, "/")
    assert first["request_id"] != second["request_id"]
    assert first["signed_in"] is False


LINES = """
import logging, structlog
import django
django.setup()
from coproduce.core.middleware import logger
structlog.contextvars.bind_contextvars(request_id="0123456789ab")
logging.getLogger("coproduce.somewhere").warning("from the standard library")
logger.info("request", path="/x")
logger.debug("below the level")
"""


def lines_written(**env: str) -> list[str]:
    run = run_python(LINES, **env)
    return [line for line in run.stderr.splitlines() if "axes" not in line]


def test_both_kinds_of_line_carry_the_same_fields_as_json() -> None:
    stdlib, request = (json.loads(line) for line in lines_written(LOG_FORMAT="json"))
    fields = {"event", "level", "logger", "timestamp", "request_id"}
    assert fields <= stdlib.keys()
    assert fields <= request.keys()
    assert (stdlib["logger"], stdlib["level"]) == ("coproduce.somewhere", "warning")
    assert (request["logger"], request["level"], request["path"]) == (
        "coproduce.request", "info", "/x",
    )  # fmt: skip
    assert request["request_id"] == stdlib["request_id"] == "0123456789ab"


def test_the_console_format_and_the_level_hold_for_both() -> None:
    lines = lines_written(LOG_FORMAT="console", LOG_LEVEL="INFO")
    assert len(lines) == 2  # the debug line is below the level
    assert "[coproduce.somewhere]" in lines[0]
    assert "[coproduce.request]" in lines[1]
    assert all("request_id=0123456789ab" in line for line in lines)
    assert lines_written(LOG_FORMAT="console", LOG_LEVEL="ERROR") == []


def test_a_level_that_is_not_one_is_refused_by_name() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "coproduce.cli", "check"],
        capture_output=True,
        text=True,
        env={**os.environ, "LOG_LEVEL": "loud"},
        timeout=120,
        check=False,
    )
    assert run.returncode != 0
    assert "LOG_LEVEL 'loud' is not usable" in run.stderr
