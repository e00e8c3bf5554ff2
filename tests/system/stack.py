"""The whole Procfile stack as real processes: our own Redis, the four stand-ins, and the
Procfile's `worker`, `cron`, `slack` and `discord` run with the Procfile's own commands.

Every process runs in its own session (process group) with its output in a file under the
stack's directory: `logs/<name>-<n>.log`, one file per start, so a test can read what each
process said and the log test can grep all of them. Each process gets an explicit environment
(nothing of the developer's SLACK_/DISCORD_/OPENAI_/DIGEST_/REDIS_ settings leaks in) and runs
in a scratch directory, so no stray `.env` is read. Time is shifted per process with
DIGEST_CLOCK_OFFSET, which is how a test plays a day of 2024 in a minute of real time.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import secrets
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
from redis import Redis

from tests import ROOT
from tests.procs import Proc, RedisServer, free_port, wait_until

PROCFILE = ROOT / "Procfile"
APP = ("worker", "cron", "slack", "discord")  # the Procfile's processes, in start order
TZ = "Asia/Seoul"  # DIGEST_TIMEZONE
BUILD_TIME = "07:00"  # DIGEST_BUILD_TIME
SLACK_TEAM = "T0SYSTEM"
SLACK_CHANNELS = ("C0SEOUL", "C0TOKYO", "C0LONDON", "C0PROBE")  # the channels tests use
_OURS = ("SLACK_", "DISCORD_", "OPENAI_", "DIGEST_", "REDIS_", "AIDIGEST_")


def procfile(path: Path = PROCFILE) -> dict[str, list[str]]:
    """The Procfile's process types and their commands; `python` is this interpreter (the
    virtualenv's), as a Procfile runner started in the activated environment would find it."""
    out: dict[str, list[str]] = {}
    for line in path.read_text("utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, _, command = line.partition(":")
        args = shlex.split(command)
        if args and args[0] in ("python", "python3"):
            args[0] = sys.executable
        out[name.strip()] = args
    return out


class Stack:
    """The stand-ins and our Redis stay up for the whole session; the Procfile's processes are
    (re)started per day with that day's clock offset."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.logs = base / "logs"
        self.run = base / "run"  # the processes' working directory: no .env in it
        for d in (self.logs, self.run):
            d.mkdir(parents=True, exist_ok=True)
        self.commands = procfile()
        self.redis = RedisServer(base)
        self.ports = {n: free_port() for n in ("sources", "llm", "slack_api", "discord_api")}
        self.slack_port = free_port()
        self.secrets = {
            "SLACK_BOT_TOKEN": f"xoxb-{SLACK_TEAM}-{secrets.token_hex(12)}",
            "SLACK_SIGNING_SECRET": secrets.token_hex(16),
            "DISCORD_TOKEN": f"stand-in.{secrets.token_urlsafe(24)}",
            "OPENAI_API_KEY": f"sk-system-{secrets.token_urlsafe(24)}",
            "REDIS_PASSWORD": self.redis.password,
        }
        self.doubles: dict[str, Proc] = {}
        self.procs: dict[str, list[Proc]] = {n: [] for n in APP}
        self.started: list[Proc] = []  # every product process ever started (for the log test)
        self.cli_logs: list[Path] = []
        self._n = 0
        self.sources_file = base / "sources.toml"
        self.sources_file.write_text(sources_toml(self.url("sources")), "utf-8")
        atexit.register(self.close)  # also when the session ends without its finalizers

    # --- addresses ----------------------------------------------------------------------------

    def url(self, double: str) -> str:
        return f"http://127.0.0.1:{self.ports[double]}"

    @property
    def slack_url(self) -> str:
        return f"http://127.0.0.1:{self.slack_port}"

    # --- lifecycle ----------------------------------------------------------------------------

    def start_services(self) -> None:
        self.redis.start()
        modules = {  # stand-in -> (module, the path that answers once it listens)
            "sources": ("source_server", "/_health"),
            "llm": ("llm_server", "/_stats"),
            "slack_api": ("slack_api", "/_stats"),
            "discord_api": ("discord_server", "/_control/stats"),
        }
        env = {**self._base_env(), "PYTHONPATH": str(ROOT)}
        for name, (module, _) in modules.items():
            port = str(self.ports[name])
            args = [sys.executable, "-m", f"tests.doubles.{module}", "--port", port]
            if name == "discord_api":
                args += ["--token", self.secrets["DISCORD_TOKEN"]]
            if name == "slack_api":  # what exists in the workspace: the token and channels
                args += ["--team", SLACK_TEAM, "--token", self.secrets["SLACK_BOT_TOKEN"]]
                args += [a for ch in SLACK_CHANNELS for a in ("--channel", ch)]
            self.doubles[name] = Proc(name, args, env, ROOT, self.logs / f"double-{name}.log")
        for name, (_, probe) in modules.items():
            url = self.url(name) + probe
            wait_until(
                lambda url=url: httpx.get(url, timeout=2).status_code == 200,  # type: ignore[misc]
                f"the {name} stand-in",
                timeout=30,
                context=self.doubles[name].tail,
            )

    def _base_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(_OURS)}
        env.pop("PYTHONPATH", None)
        return env

    def env(self, offset: float, **extra: str) -> dict[str, str]:
        """What every aidigest process is given (one `.env` for the whole Procfile)."""
        s = self.secrets
        return {
            **self._base_env(),
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",
            "REDIS_URL": self.redis.url,
            "DIGEST_TIMEZONE": TZ,
            "DIGEST_BUILD_TIME": BUILD_TIME,
            "DIGEST_LANGUAGE": "ko",
            "DIGEST_LANGUAGES": "ko,en",
            "DIGEST_SOURCES_FILE": str(self.sources_file),
            "DIGEST_LOG_FORMAT": "auto",
            "DIGEST_CLOCK_OFFSET": f"{offset:.3f}",
            "OPENAI_API_KEY": s["OPENAI_API_KEY"],
            "OPENAI_BASE_URL": self.url("llm") + "/v1",
            "OPENAI_MODEL": "stand-in",
            "OPENAI_TIMEOUT": "4",  # a hung answer costs seconds, not the default minute
            "OPENAI_MAX_RETRIES": "2",
            "SLACK_BOT_TOKEN": s["SLACK_BOT_TOKEN"],
            "SLACK_SIGNING_SECRET": s["SLACK_SIGNING_SECRET"],
            "SLACK_API_URL": self.url("slack_api") + "/api/",
            "SLACK_PORT": str(self.slack_port),
            "DISCORD_TOKEN": s["DISCORD_TOKEN"],
            "DISCORD_API_BASE": self.url("discord_api") + "/api/v10",
            "DISCORD_GATEWAY_URL": f"ws://127.0.0.1:{self.ports['discord_api']}/gateway",
            **extra,
        }

    def start(
        self, name: str, offset: float, command: list[str] | None = None, **extra: str
    ) -> Proc:
        """Start one more `name` process of the Procfile (scale: call again); `command` replaces
        the Procfile's (a test seam such as tests.workers.slow_worker, run from the checkout)."""
        self._n += 1
        log = self.logs / f"{name}-{self._n:03d}.log"
        if command is not None:
            extra = {**extra, "PYTHONPATH": str(ROOT)}
        argv = command or self.commands[name]
        proc = Proc(name, argv, self.env(offset, **extra), self.run, log)
        self.procs[name].append(proc)
        self.started.append(proc)
        return proc

    def running(self, name: str) -> list[Proc]:
        return [p for p in self.procs[name] if p.alive()]

    def stop(self, *names: str) -> None:
        for name in names or APP[::-1]:
            for p in self.procs[name]:
                p.stop()
            self.procs[name] = []

    def kill(self, name: str) -> list[Proc]:
        """SIGKILL every running `name` process (and its children)."""
        gone = self.running(name)
        for p in gone:
            p.kill()
        self.procs[name] = [p for p in self.procs[name] if p not in gone]
        return gone

    def close(self) -> None:
        """Stop everything; safe to call whatever state a failed test left."""
        for name in APP:
            for p in self.procs[name]:
                with contextlib.suppress(Exception):
                    p.stop(grace=5)
        for d in self.doubles.values():
            with contextlib.suppress(Exception):
                d.stop(grace=5)
        with contextlib.suppress(Exception):
            self.redis.stop()

    def cli(self, args: list[str], offset: float) -> str:
        """`aidigest <args>` (the installed script's entry point), its output kept as a log."""
        self._n += 1
        log = self.logs / f"cli-{self._n:03d}.log"
        code = "import sys; from cli.main import main; sys.exit(main())"
        done = subprocess.run(
            [sys.executable, "-c", code, *args], cwd=self.run, env=self.env(offset),
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        log.write_text(done.stdout + done.stderr, "utf-8")
        self.cli_logs.append(log)
        return done.stdout + done.stderr

    def product_logs(self) -> list[Path]:
        """The logs of every aidigest process of the run (not the stand-ins')."""
        return [p.log for p in self.started] + self.cli_logs

    def tails(self, *names: str) -> str:
        procs = [p for n in names or APP for p in self.procs[n]]
        return "\n".join(p.tail(2500) for p in procs)

    # --- the stand-ins' control APIs ----------------------------------------------------------

    def control(self, double: str, method: str, path: str, body: Any = None) -> Any:
        r = httpx.request(method, self.url(double) + path, json=body, timeout=30)
        r.raise_for_status()
        return r.json()

    @contextlib.contextmanager
    def redis_client(self) -> Iterator[Redis[bytes]]:
        r = self.redis.client()
        try:
            yield r
        finally:
            r.close()


def sources_toml(base: str) -> str:
    """One source of each kind the stand-in serves; URLs on the stand-in (127.0.0.1, so each
    source allows private addresses). HN reads no linked pages: its saved stories link to real
    sites, which tests never contact."""
    feeds = [
        ("openai-news", "openai_news_rss_2025-07-28.xml", "en"),
        ("google-ai-blog", "google_ai_blog_rss_2025-07-24.xml", "en"),
        ("geeknews", "geeknews_ko_atom_2026-09-29.xml", "ko"),
    ]
    out = [
        '[[source]]\nname = "arxiv"\ntype = "arxiv"\nkind = "papers"\n'
        f'url = "{base}/arxiv/api/query"\n'
        'categories = ["cs.AI", "cs.CL", "cs.CV", "cs.LG", "cs.RO"]\n'
        "page_size = 400\nmax_items = 400\nallow_private = true\n",
        '[[source]]\nname = "hf-daily-papers"\ntype = "hf_daily"\nkind = "papers"\n'
        f'url = "{base}/hf/api/daily_papers"\nallow_private = true\n',
    ]
    for name, file, lang in feeds:
        out.append(
            f'[[source]]\nname = "{name}"\ntype = "feed"\nkind = "news"\n'
            f'url = "{base}/feeds/{file}"\nlang = "{lang}"\nmax_items = 50\n'
            "allow_private = true\n"
        )
    out.append(
        '[[source]]\nname = "hackernews"\ntype = "hn"\nkind = "news"\n'
        f'url = "{base}/hn/api/v1/search_by_date"\n'
        'query = "AI OR LLM OR GPT OR OpenAI OR Anthropic OR model"\nmin_points = 50\n'
        "max_items = 30\nallow_private = true\nlinked_pages = false\n"
    )
    return "\n".join(out)
