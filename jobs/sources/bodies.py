"""Reading a response body within a byte cap, decompressing it ourselves so a gzip bomb
never expands past the cap (httpx's decoders inflate a whole network chunk at once)."""

from __future__ import annotations

import zlib

import httpx

ACCEPT_ENCODING = "gzip, deflate"  # the only codings we can inflate within the cap
_PIECE = 64 * 1024  # inflate at most this much output per step


class BodyTooLarge(Exception):
    """The body passed the cap; the message says how we know."""


class BodyUnreadable(Exception):
    """The body's Content-Encoding is unknown or its compressed data is corrupt."""


class _Inflater:
    """zlib inflating with bounded output per call; `deflate` may be zlib-wrapped or raw."""

    def __init__(self, coding: str) -> None:
        self._coding = coding
        wbits = zlib.MAX_WBITS | 16 if coding in ("gzip", "x-gzip") else zlib.MAX_WBITS
        self._zlib = zlib.decompressobj(wbits)
        self._first = True

    def inflate(self, data: bytes, room: int) -> bytes:
        """At most room + 1 bytes of output (one more than room means: past the cap)."""
        try:
            out = self._zlib.decompress(data, room + 1)
        except zlib.error:
            if not (self._first and self._coding == "deflate"):
                raise
            self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate, no zlib header
            out = self._zlib.decompress(data, room + 1)
        self._first = False
        return out

    @property
    def unconsumed(self) -> bytes:
        return self._zlib.unconsumed_tail

    def finish(self, room: int) -> bytes:
        return self._zlib.flush(room + 1)


def _codings(response: httpx.Response) -> list[str]:
    header = response.headers.get("content-encoding", "")
    codings = [c.strip().lower() for c in header.split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    if len(codings) > 1 or (codings and codings[0] not in ("gzip", "x-gzip", "deflate")):
        raise BodyUnreadable(f"it is sent with Content-Encoding {header!r}, which lectern "
                             f"does not read (it asks for {ACCEPT_ENCODING})")
    return codings


async def read_capped(response: httpx.Response, limit: int) -> bytes:
    """The decoded body of a streamed response; BodyTooLarge as soon as it passes `limit`."""
    declared = response.headers.get("content-length", "").strip()
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge(f"it declares {int(declared)} bytes")
    codings = _codings(response)
    inflater = _Inflater(codings[0]) if codings else None
    body = bytearray()
    try:
        async for chunk in response.aiter_raw():
            while chunk:
                if inflater is None:
                    body += chunk
                    chunk = b""
                else:
                    room = limit - len(body)
                    body += inflater.inflate(chunk, min(room, _PIECE))
                    chunk = inflater.unconsumed
                if len(body) > limit:
                    raise BodyTooLarge("the body kept coming" if inflater is None else
                                       "it expands past that when decompressed")
        if inflater is not None:
            body += inflater.finish(limit - len(body))
    except zlib.error as error:
        raise BodyUnreadable(f"its compressed data is corrupt ({error})") from error
    if len(body) > limit:
        raise BodyTooLarge("it expands past that when decompressed")
    return bytes(body)
