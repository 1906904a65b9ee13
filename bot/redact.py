"""Secrets out of sight: credentials in URLs and known token values hidden from what people
and logs see.

A private calendar's address often carries its key (`…/basic.ics?token=abc`, `…?key=…`,
`https://user:pass@host/…`): `redact_url` shows such a URL with the secret parts as `…`
(`?token=…`), while fetching keeps the real one. `redact` does the same to every URL in a
text (an error message, a log line) and hides every token value the Settings hold
(bot.settings.Secret registers itself here). `install_log_redaction` makes every log
record pass through `redact`, tracebacks included, whoever logs it (httpx logs each
request's URL). Standard library only: bot.settings uses it.
"""

from __future__ import annotations

import logging
import re
import threading
from urllib.parse import quote

HIDDEN = "…"
# Query parameters whose values are credentials (matched anywhere in the name).
_SECRET_NAME = re.compile(r"token|key|secret|pass|pwd|auth|sig|credential|session|ticket",
                          re.IGNORECASE)
_URL = re.compile(r"\b(?:https?|webcals?|wss?)://[^\s'\"<>`]*[^\s'\"<>`.,;:!?)\]]",
                  re.IGNORECASE)
# Google Calendar's secret address: …/calendar/ical/<id>/private-<key>/basic.ics
_PRIVATE_PATH = re.compile(r"/private-[^/?#]+")
_USERINFO = re.compile(r"^([a-z][a-z0-9+.-]*://)([^/?#@]*)@", re.IGNORECASE)
_PARAM = re.compile(r"([?&;])([^=&;#]*)=([^&;#]*)")
# The same in text without a scheme (`GET /basic.ics?token=abc HTTP/1.1`).
_LOOSE_PARAM = re.compile(r"([?&;][^=&;#\s'\"<>]*(?:token|key|secret|pass|pwd|auth|sig|"
                          r"credential|session|ticket)[^=&;#\s'\"<>]*)="
                          r"(?!…)([^&;#\s'\"<>]*[^&;#\s'\"<>.,:!?)\]])",
                          re.IGNORECASE)
_MIN_SECRET = 6  # shorter "secrets" (test values, "x") would blank ordinary words

_secrets: set[str] = set()
_lock = threading.Lock()


def remember_secret(value: str) -> None:
    """Hide `value` (a token) wherever `redact` looks from now on."""
    if value and len(value) >= _MIN_SECRET:
        with _lock:
            _secrets.update({value, quote(value, safe="")})


def redact_url(url: str) -> str:
    """`url` with a password and the values of credential-like query parameters as `…`."""
    url = _USERINFO.sub(_userinfo, url, count=1)
    url = _PRIVATE_PATH.sub(f"/private-{HIDDEN}", url)

    def param(match: re.Match[str]) -> str:
        sep, name, value = match.groups()
        hidden = HIDDEN if value and _SECRET_NAME.search(name) else value
        return f"{sep}{name}={hidden}"

    head, mark, tail = url.partition("?")
    if mark:
        query, hash_, fragment = tail.partition("#")
        url = head + _PARAM.sub(param, "?" + query)
        url += hash_ + (_PARAM.sub(param, "?" + fragment)[1:] if hash_ else "")
    return url


def _userinfo(match: re.Match[str]) -> str:
    scheme, info = match.groups()
    user, colon, _ = info.partition(":")
    return f"{scheme}{user}:{HIDDEN}@" if colon else f"{scheme}{HIDDEN}@"


def redact(text: str) -> str:
    """`text` with every URL redacted and every remembered secret replaced by `***`."""
    if not text:
        return text
    text = _URL.sub(lambda match: redact_url(match.group()), text)
    text = _LOOSE_PARAM.sub(lambda match: f"{match.group(1)}={HIDDEN}", text)
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, "***")
    return text


class _Redacting:
    """A LogRecord factory: the message, with its arguments, and any traceback are
    formatted at once and redacted; the exception itself is dropped from the record so no
    handler formats it again unredacted."""

    def __init__(self, make: logging.LogRecordFactory) -> None:  # type: ignore[valid-type]
        self.make = make
        self._formatter = logging.Formatter()

    def __call__(self, *args, **kwargs) -> logging.LogRecord:
        record = self.make(*args, **kwargs)
        try:
            record.msg, record.args = redact(record.getMessage()), ()
        except Exception:  # a record that cannot format shows its template, never a secret
            record.msg, record.args = redact(str(record.msg)), ()
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = redact(self._formatter.formatException(record.exc_info))
            record.exc_info = None
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return record


def install_log_redaction() -> None:
    """Redact every log record made from now on, in this process (idempotent)."""
    current = logging.getLogRecordFactory()
    if not isinstance(current, _Redacting):
        logging.setLogRecordFactory(_Redacting(current))


def uninstall_log_redaction() -> None:
    """Undo install_log_redaction (for tests)."""
    current = logging.getLogRecordFactory()
    if isinstance(current, _Redacting):
        logging.setLogRecordFactory(current.make)
