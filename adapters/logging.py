"""structlog, configured once: to stderr (stdout carries the contract's JSON), JSON unless on a TTY."""
from __future__ import annotations

import logging
import os
import sys

import structlog


def configure(niva: str | None = None) -> None:
    """Level from `niva` or HJEMMEL_LOGG (default warning: a CLI run stays quiet unless asked)."""
    navn = (niva or os.environ.get("HJEMMEL_LOGG") or "warning").upper()
    renderer = (structlog.dev.ConsoleRenderer() if sys.stderr.isatty()
                else structlog.processors.JSONRenderer())
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.dict_tracebacks,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(getattr(logging, navn, logging.WARNING)),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=False,
    )
