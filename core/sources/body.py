"""Reading a response body within a byte cap that counts what it *decompresses* to.

httpx would inflate a whole network chunk at once (64 KiB of a gzip bomb is 64 MB), so we read
the raw bytes and inflate them ourselves in small steps, stopping at the cap: a bomb costs at
most the cap plus one step.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator

STEP = 64 * 1024  # most bytes one inflate step may produce
ACCEPTED_ENCODINGS = "gzip, deflate"  # what we ask for, and all we will decode


class TooBig(Exception):
    """The body is over the cap (the message says by how much is known)."""


class Undecodable(Exception):
    """The body's Content-Encoding is unknown to us, or its compressed data is corrupt."""


def _inflater(encoding: str) -> zlib._Decompress | None:
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(zlib.MAX_WBITS | 16)
    if encoding == "deflate":
        return zlib.decompressobj(zlib.MAX_WBITS | 32)  # zlib or gzip header, auto-detected
    raise Undecodable(f"unsupported Content-Encoding {encoding!r}")


def decoded(raw: Iterable[bytes], encoding: str) -> Iterator[bytes]:
    """The body's bytes, inflated per `encoding`, in pieces of at most STEP bytes."""
    inflater = _inflater(encoding.strip().lower())
    if inflater is None:
        yield from raw
        return
    try:
        for chunk in raw:
            data = chunk
            while data:
                out = inflater.decompress(data, STEP)
                if out:
                    yield out
                data = inflater.unconsumed_tail
                if inflater.eof:
                    return  # trailing garbage after the stream is ignored, as httpx does
        tail = inflater.flush(STEP)
        if tail:
            yield tail
    except zlib.error as e:
        raise Undecodable(f"the {encoding} data is corrupt") from e


def read_capped(
    raw: Iterable[bytes],
    encoding: str,
    max_bytes: int,
    *,
    truncate: bool = False,
    stop: Iterable[bytes] = (),
) -> bytes:
    """Up to `max_bytes` decoded bytes. Over the cap: TooBig, or with `truncate` the first
    max_bytes. Reading stops early once any marker of `stop` has arrived (e.g. b"</head>")."""
    chunks: list[bytes] = []
    size = 0
    markers = tuple(stop)
    seen = b""  # the end of the previous piece: a marker may straddle two pieces
    for piece in decoded(raw, encoding):
        size += len(piece)
        if size > max_bytes:  # stop reading: the rest never enters memory
            if not truncate:
                raise TooBig(f"over the {max_bytes:,}-byte limit")
            chunks.append(piece[: len(piece) - (size - max_bytes)])
            break
        chunks.append(piece)
        if markers:
            window = (seen + piece).lower()
            if any(m in window for m in markers):
                break
            seen = piece[-32:]
    return b"".join(chunks)
