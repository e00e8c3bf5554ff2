"""Fixtures for the source tests: one stand-in server per session, reset for every test.

Every test here may connect to loopback only: a redirect to a private or public address is
something the code under test must refuse, and the guard makes sure that even a bug in that
refusal sends nothing off this machine.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from importlib import resources
from typing import Any

import httpx
import pytest

from core.sources import make_client
from core.sources.spec import SourceSpec
from tests.doubles.fixtures import stand_in_fixtures
from tests.doubles.schedule_server import ScheduleServer
from tests.doubles.source_server import SourceServer


class OffLoopback(OSError):
    """The test guard refused a connection that would have left the machine."""


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Connections to anything but loopback fail at once, and are recorded."""
    attempts: list[str] = []
    real = socket.create_connection

    def guarded(address: tuple[str, int], *args: Any, **kw: Any) -> socket.socket:
        host = address[0]
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = host == "localhost"
        if not loopback:
            attempts.append(host)
            raise OffLoopback(f"test guard: no connection to {host}")
        return real(address, *args, **kw)

    monkeypatch.setattr(socket, "create_connection", guarded)
    return attempts


stand_in, server = stand_in_fixtures(SourceServer)


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with make_client(timeout=5.0) as c:
        yield c


@pytest.fixture
def impatient_client() -> Iterator[httpx.Client]:
    """For the hang fault: gives up on a silent server after 0.3 s."""
    with make_client(timeout=0.3) as c:
        yield c


@pytest.fixture
def naps() -> list[float]:
    """Pass `sleep=naps.append`: records the waits instead of waiting."""
    return []


def demo_bytes(name: str) -> bytes:
    return resources.files("core.data").joinpath("demo", name).read_bytes()


def spec_of(type_: str, url: str = "x", **kw: object) -> SourceSpec:
    """A source of `type_`, of the kind that type yields, named after it unless `name` is given
    (the rest of `kw` are its other fields)."""
    kind = "papers" if type_ in ("arxiv", "hf_daily") else "news"
    name = kw.pop("name", type_.replace("_", "-"))
    return SourceSpec.model_validate({"name": name, "type": type_, "kind": kind, "url": url, **kw})


def make_spec(
    server: SourceServer | ScheduleServer, type_: str, path: str, **kw: object
) -> SourceSpec:
    """A source of `type_` at `path` on a stand-in."""
    kw.setdefault("allow_private", True)  # the stand-ins are on 127.0.0.1
    return spec_of(type_, server.url + path, **kw)


ARXIV = "/arxiv/api/query"
HF = "/hf/api/daily_papers"
HN = "/hn/api/v1/search_by_date"
OPENAI = "/feeds/openai_news_rss_2025-07-28.xml"
GOOGLE = "/feeds/google_ai_blog_rss_2025-07-24.xml"
GEEKNEWS = "/feeds/geeknews_ko_atom_2026-09-29.xml"
HN_RSS = "/feeds/hackernews_frontpage_rss_2026-03-22.xml"
