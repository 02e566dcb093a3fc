"""Structured logging: one event per line, as key=value pairs or JSON, on standard error.

Standard-library loggers (Django's included) and structlog loggers write the same fields
(level, logger, time, the request's id) in the same format. structlog's loggers, such as
the request log's one line a request, write straight to the stream: passing them through
the standard library's records, handlers and formatter took half of each line's time.
"""

import sys
from typing import Any

import structlog
from django.core.exceptions import ImproperlyConfigured

_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_SHARED_PROCESSORS: list[Any] = [
    structlog.contextvars.merge_contextvars,
    structlog.processors.add_log_level,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def logging_config(*, fmt: str, level: str) -> dict[str, Any]:
    """Return a dictConfig for the stdlib and configure structlog alike."""
    if fmt not in {"json", "console"}:
        raise ImproperlyConfigured(f"LOG_FORMAT {fmt!r} is not usable: choose 'json' or 'console'.")
    if level.upper() not in _LEVELS:
        raise ImproperlyConfigured(
            f"LOG_LEVEL {level!r} is not usable: choose one of {', '.join(_LEVELS)}."
        )
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[*_SHARED_PROCESSORS, structlog.processors.format_exc_info, renderer],
        logger_factory=structlog.WriteLoggerFactory(file=sys.stderr),
        wrapper_class=structlog.make_filtering_bound_logger(level),
        cache_logger_on_first_use=True,
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "structured": {
                "()": structlog.stdlib.ProcessorFormatter,
                "processors": [
                    structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.processors.format_exc_info,
                    renderer,
                ],
                "foreign_pre_chain": [*_SHARED_PROCESSORS, structlog.stdlib.add_logger_name],
            }
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
        "root": {"handlers": ["console"], "level": level.upper()},
        "loggers": {
            # Our own request log replaces Django's (it adds duration and user role).
            "django.server": {"level": "WARNING"},
            "django.request": {"level": "ERROR"},
        },
    }
