"""A day's build in flight: its record (the one-build-per-day lock) and the scratch its jobs share.

RQ jobs take JSON arguments only (date, the build's token, a source name or a section key); what
they hand each other goes through these keys (core/store/keys.py), which expire (SCRATCH_TTL):

    {p}:build:{date}                          JSON BuildRecord: state, run, token, sources, clock
    {p}:build:{date}:{build}:jobs               list of the build's job ids, in enqueue order
    {p}:build:{date}:{build}:source:{name}      JSON SourceResult: status and collected items
    {p}:build:{date}:{build}:plan               JSON Plan: kinds, source statuses, section keys
    {p}:build:{date}:{build}:input:{key}        JSON SectionInput (its items in citation order)
    {p}:build:{date}:{build}:section:{key}      JSON Section, as its job summarised it
    {p}:build:{date}:{build}:chart:{name}       PNG bytes
    {p}:build:{date}:{build}:usage              hash: LLM calls and tokens, summed over the jobs

`claim` is the lock: WATCH/MULTI on the record, so of two processes enqueueing the same day at
once exactly one gets a build; a day that is building (before its deadline) or built is refused
unless forced, and a forced build gets the next run number. Every build has a token of its own
(its job ids and scratch keys carry it).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel
from redis import Redis, WatchError
from redis.client import Pipeline

from core.digest import KindDigest, Section, SourceStatus
from core.item_list import ItemRow
from core.items import Item, Kind
from core.plan import SectionInput
from core.store.keys import Keys
from workers import defaults

if TYPE_CHECKING:  # the pipeline imports matplotlib; enqueueing needs none of it
    from core.pipeline import SourceResult

State = Literal["building", "ready", "failed"]


class BuildRecord(BaseModel):
    date: str
    run: int  # 1, then 2, 3… for forced rebuilds (for people)
    token: str  # this build's id in its job ids and scratch keys
    state: State = "building"
    sources_file: str | None = None  # the source list (None: DIGEST_SOURCES_FILE or the shipped)
    offline: bool = False  # classify and summarise offline whatever the LLM settings
    now: str  # ISO 8601: the build's clock (recency ranking, BuildInfo.started)
    langs: list[str]
    section_cap: int
    sources: dict[str, Kind]  # configured source name -> kind: one collect job each
    retry_max: int = defaults.RETRY_MAX
    retry_intervals: list[int] = list(defaults.RETRY_INTERVALS)
    reason: str = ""  # who asked: cli, tick, demo…
    enqueued_at: float
    deadline: float  # while building: after this the build counts as stale
    finished_at: float | None = None
    error: str = ""


class Plan(BaseModel):
    engine: str  # "offline" or the model's name
    kinds: dict[str, KindDigest]
    statuses: list[SourceStatus]
    sections: list[str]  # SectionInput keys, in digest order
    rows: list[ItemRow] = []  # the day's item list (items.jsonl)


class _Input(BaseModel):
    date: str
    lang: str
    kind: Kind
    category: str
    name: str
    description: str
    items: list[Item]
    total: int


class Builds:
    def __init__(self, redis: Redis[bytes], keys: Keys) -> None:
        self.redis = redis
        self.keys = keys

    def key(self, day: str, build: str | None = None, *parts: str) -> str:
        return self.keys.build(day, build, *parts)

    # --- the record -------------------------------------------------------------------------

    def record(self, day: str) -> BuildRecord | None:
        raw = self.redis.get(self.key(day))
        return None if raw is None else BuildRecord.model_validate_json(raw)

    def claim(
        self, day: str, make: Callable[[int], BuildRecord], *, force: bool, built: bool
    ) -> BuildRecord | None:
        """Start a build of `day` (`make(run)` gives its record), or None when one is building
        or the day is `built`, unless `force`."""
        key = self.key(day)
        with self.redis.pipeline(transaction=True) as pipe:
            while True:
                try:
                    pipe.watch(key)
                    raw: Any = pipe.get(key)  # immediate while watching
                    old = BuildRecord.model_validate_json(raw) if raw else None
                    busy = old is not None and (
                        old.state == "ready"
                        or (old.state == "building" and old.deadline > time.time())
                    )
                    if (busy or built) and not force:
                        pipe.unwatch()
                        return None
                    rec = make(old.run + 1 if old else 1)
                    pipe.multi()
                    pipe.set(key, rec.model_dump_json(), ex=defaults.RESULT_TTL)
                    pipe.execute()
                    return rec
                except WatchError:
                    continue

    def finish(
        self,
        rec: BuildRecord,
        state: State,
        error: str = "",
        pipeline: Pipeline[bytes] | None = None,
    ) -> None:
        done = rec.model_copy(update={"state": state, "error": error, "finished_at": time.time()})
        target = pipeline if pipeline is not None else self.redis
        target.set(self.key(rec.date), done.model_dump_json(), ex=defaults.RESULT_TTL)

    def add_jobs(self, rec: BuildRecord, job_ids: Sequence[str]) -> None:
        key = self.key(rec.date, rec.token, "jobs")
        with self.redis.pipeline() as pipe:
            pipe.rpush(key, *job_ids)
            pipe.expire(key, defaults.RESULT_TTL)
            pipe.execute()

    def jobs(self, rec: BuildRecord) -> list[str]:
        return [j.decode() for j in self.redis.lrange(self.key(rec.date, rec.token, "jobs"), 0, -1)]

    # --- scratch ----------------------------------------------------------------------------

    def _put(self, rec: BuildRecord, value: str | bytes, *parts: str, nx: bool = False) -> bool:
        key = self.key(rec.date, rec.token, *parts)
        return bool(self.redis.set(key, value, ex=defaults.SCRATCH_TTL, nx=nx))

    def _get(self, rec: BuildRecord, *parts: str) -> bytes | None:
        raw = self.redis.get(self.key(rec.date, rec.token, *parts))
        return None if raw is None else bytes(raw)

    def put_source(self, rec: BuildRecord, result: SourceResult) -> None:
        blob = _Collected(
            status=result.status, items=result.items, featured=result.featured
        ).model_dump_json()
        self._put(rec, blob, "source", result.status.name)

    def source(self, rec: BuildRecord, name: str) -> SourceResult | None:
        raw = self._get(rec, "source", name)
        if raw is None:
            return None
        from core.pipeline import SourceResult

        got = _Collected.model_validate_json(raw)
        return SourceResult(got.status, got.items, got.featured)

    def put_plan(self, rec: BuildRecord, plan: Plan, inputs: Sequence[SectionInput]) -> Plan:
        """Keep the first plan of this run: a retried classify job reuses it, so the section
        jobs already enqueued still match."""
        for inp in inputs:
            blob = _Input(**{**inp.__dict__, "items": list(inp.items)}).model_dump_json()
            self._put(rec, blob, "input", inp.key)
        self._put(rec, plan.model_dump_json(), "plan", nx=True)
        kept = self.plan(rec)
        assert kept is not None
        return kept

    def plan(self, rec: BuildRecord) -> Plan | None:
        raw = self._get(rec, "plan")
        return None if raw is None else Plan.model_validate_json(raw)

    def section_input(self, rec: BuildRecord, key: str) -> SectionInput:
        raw = self._get(rec, "input", key)
        if raw is None:
            raise LookupError(f"build {rec.date} run {rec.run}: no input for section {key}")
        got = _Input.model_validate_json(raw)
        return SectionInput(**{**got.__dict__, "items": tuple(got.items)})

    def put_section(self, rec: BuildRecord, key: str, section: Section) -> None:
        self._put(rec, section.model_dump_json(), "section", key)

    def section(self, rec: BuildRecord, key: str) -> Section | None:
        raw = self._get(rec, "section", key)
        return None if raw is None else Section.model_validate_json(raw)

    def put_charts(self, rec: BuildRecord, charts: dict[str, bytes]) -> None:
        with self.redis.pipeline() as pipe:
            for name, png in charts.items():
                pipe.set(self.key(rec.date, rec.token, "chart", name), png, ex=defaults.SCRATCH_TTL)
            pipe.set(
                self.key(rec.date, rec.token, "charts"), ",".join(charts), ex=defaults.SCRATCH_TTL
            )
            pipe.execute()

    def charts(self, rec: BuildRecord) -> dict[str, bytes] | None:
        names = self._get(rec, "charts")
        if names is None:
            return None
        keys = [n for n in names.decode().split(",") if n]
        pngs = self.redis.mget([self.key(rec.date, rec.token, "chart", n) for n in keys])
        found = {n: bytes(p) for n, p in zip(keys, pngs, strict=True) if p is not None}
        return found if len(found) == len(keys) else None

    def add_usage(self, rec: BuildRecord, calls: int, tokens: int) -> None:
        if calls or tokens:
            key = self.key(rec.date, rec.token, "usage")
            with self.redis.pipeline() as pipe:
                pipe.hincrby(key, "calls", calls)
                pipe.hincrby(key, "tokens", tokens)
                pipe.expire(key, defaults.SCRATCH_TTL)
                pipe.execute()

    def usage(self, rec: BuildRecord) -> tuple[int, int]:
        raw = self.redis.hgetall(self.key(rec.date, rec.token, "usage"))
        return int(raw.get(b"calls", 0)), int(raw.get(b"tokens", 0))


class _Collected(BaseModel):
    status: SourceStatus
    items: list[Item]
    featured: list[Item] = []


__all__ = ["BuildRecord", "Builds", "Plan"]
