"""Secrets out of sight: credentials in URLs and known token values hidden from what people
and logs see.

A private calendar's address often carries its key, in the query (`…/basic.ics?token=abc`),
the user info (`https://user:pass@host/…`) or anywhere in the path (Outlook, iCloud,
Nextcloud, Google's `/private-<key>/`): `redact_url` shows any URL as scheme, host and a
masked path (`https://host/…3f9a2c.ics`), while fetching keeps the real one and only the
operator's `lectern sources list` prints it whole. `redact` does the same to every URL in a
text (an error message, a log line) and hides every token value the Settings hold
(bot.settings.Secret registers itself here). `install_log_redaction` makes every log
record pass through `redact`, tracebacks included, whoever logs it (httpx logs each
request's URL). Standard library only: bot.settings uses it.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from urllib.parse import quote

HIDDEN = "…"
_URL = re.compile(r"\b(?:https?|webcals?|wss?)://[^\s'\"<>`]*[^\s'\"<>`.,;:!?)\]]",
                  re.IGNORECASE)
# scheme, user info, host[:port], the rest (path, query, fragment)
_SPLIT = re.compile(r"^([a-z][a-z0-9+.-]*://)([^/?#@]*@)?([^/?#]*)(.*)$",
                    re.IGNORECASE | re.DOTALL)
_MASKED = re.compile(r"^/…[0-9a-f]{6}(?:\.[a-z0-9]{1,5})?(?:\?…)?$", re.IGNORECASE)
# reserved for examples (RFC 2606): a hint's `https://example.org/feed.xml` holds no secret
_EXAMPLE = re.compile(r"^(?:www\.)?example\.(?:org|com|net)$", re.IGNORECASE)
_EXTENSION = re.compile(r"\.[a-z][a-z0-9]{0,4}$")  # .ics, .rss, .xml
# The same in text without a scheme (`GET /basic.ics?token=abc HTTP/1.1`).
# A name cannot hold the next `?`, `&` or `;`, so each character is read once: the former
# pattern (a keyword between two open runs) backtracked in cubic time, and 5 kB of
# `?token?token…` in a logged line held the process for a quarter of a minute.
_LOOSE_PARAM = re.compile(r"([?&;][^=&;?#\s'\"<>]*)=([^&;#\s'\"<>]*)")
_SECRET_NAME = re.compile(r"token|key|secret|pass|pwd|auth|sig|credential|session|ticket",
                          re.IGNORECASE)
_TRAILING = ".,:!?)]"  # ends a sentence, not a value
_MIN_SECRET = 6  # shorter "secrets" (test values, "x") would blank ordinary words

_secrets: set[str] = set()
_lock = threading.Lock()


def remember_secret(value: str) -> None:
    """Hide `value` (a token) wherever `redact` looks from now on."""
    if value and len(value) >= _MIN_SECRET:
        with _lock:
            _secrets.update({value, quote(value, safe="")})


def redact_url(url: str) -> str:
    """`url` as scheme, host and a masked path: `https://host/…3f9a2c.ics`.

    A private calendar's secret may sit anywhere in the path (Outlook's `/owa/calendar/<id>/
    <secret>/calendar.ics`, iCloud's `/published/2/<token>`, Nextcloud's `/public-calendars/
    <token>`), so no path or query is shown at all: only a short hash of the whole URL, to
    tell two addresses apart, and the file name's extension. A password is hidden, the user
    name kept. Text already masked is returned unchanged."""
    parts = _SPLIT.match(url)
    if parts is None:
        return url
    scheme, userinfo, host, rest = parts.groups()
    if userinfo:
        user, colon, _ = userinfo[:-1].partition(":")
        userinfo = f"{user}:{HIDDEN}@" if colon else f"{HIDDEN}@"
    if rest in ("", "/") or _MASKED.match(rest) or _EXAMPLE.match(host):
        return f"{scheme}{userinfo or ''}{host}{rest}"
    path, _, _ = rest.partition("#")
    path, mark, _ = path.partition("?")
    extension = _EXTENSION.search(path)
    digest = hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()[:6]
    masked = f"/{HIDDEN}{digest}{extension.group() if extension else ''}"
    return f"{scheme}{userinfo or ''}{host}{masked}{'?' + HIDDEN if mark else ''}"


def _userinfo(match: re.Match[str]) -> str:
    scheme, info = match.groups()
    user, colon, _ = info.partition(":")
    return f"{scheme}{user}:{HIDDEN}@" if colon else f"{scheme}{HIDDEN}@"


def _hide_param(match: re.Match[str]) -> str:
    """`?token=abc` -> `?token=…`; a parameter with no secret's name, or an empty or
    already hidden value, is left as it is."""
    name, value = match.groups()
    secret = value.rstrip(_TRAILING)
    if not secret or value.startswith(HIDDEN) or not _SECRET_NAME.search(name):
        return match.group()
    return f"{name}={HIDDEN}{value[len(secret):]}"


def redact(text: str) -> str:
    """`text` with every URL redacted and every remembered secret replaced by `***`."""
    if not text:
        return text
    text = _URL.sub(lambda match: redact_url(match.group()), text)
    text = _LOOSE_PARAM.sub(_hide_param, text)
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
