"""Structured log lines on stderr: one JSON object a line with the time, level, logger, request path and
user id, so that a 500 in production leaves a trace that log collectors can parse."""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import sys

_current_request = contextvars.ContextVar("ita_portal_request", default=None)


class RequestContextMiddleware:
    """Remembers the request being answered, for log lines written by code that has no request at hand."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


def _request_fields(record) -> tuple[str, str]:
    request = getattr(record, "request", None)
    if request is None or not hasattr(request, "path"):
        request = _current_request.get()
    if request is None:
        return "", ""
    user = getattr(request, "user", None)
    user_id = ""
    if user is not None and getattr(user, "is_authenticated", False):
        user_id = str(user.pk)
    return request.path, user_id


class JsonLineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        path, user_id = _request_fields(record)
        line = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "path": path,
            "user": user_id,
            "status": getattr(record, "status_code", None),
            "message": record.getMessage(),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class StderrHandler(logging.StreamHandler):
    """A StreamHandler that writes to whatever sys.stderr is at the time (as redirected by a test runner
    or a process manager), not the stream it found at start-up."""

    def __init__(self):
        super().__init__(sys.stderr)

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value):
        pass
