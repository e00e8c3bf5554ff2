"""Bolt's logger, without requests: Bolt quotes whole requests in some log lines (a refused
signature at INFO, with the body and its response_url; a middleware that answered nothing), and
a response_url or trigger_id is a credential for half an hour. Those lines keep their first
words and lose the request."""

from __future__ import annotations

import logging

_MARKS = ("body", "response_url", "trigger_id", "payload", "token")


class NoRequests(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(mark in message for mark in _MARKS):
            head = message.split("(", 1)[0].strip()[:120]
            record.msg, record.args = f"{head} (request withheld from the log)", ()
        return True


def bolt_logger() -> logging.Logger:
    """The base logger handed to Bolt; Bolt copies its filters to its middleware's loggers."""
    logger = logging.getLogger("bot.slack_bot.bolt")
    if not any(isinstance(f, NoRequests) for f in logger.filters):
        logger.addFilter(NoRequests())
    return logger
