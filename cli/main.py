"""`aidigest`: build the demo day, build a real day, show a section, classify your own items,
and (with Redis) enqueue builds for the workers and report their status (DESIGN.md "The CLI").

This is an entry point: it reads settings and builds clients; nothing below it does.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from redis.exceptions import RedisError

from cli import build, classify, queue, search, show, web
from core.logs import install_exception_hooks
from core.settings import Settings, load_settings
from core.store.connect import RedisUnavailable, problem
from workers.defaults import DEFAULT_REDIS_URL

Command = Callable[[argparse.Namespace, Settings], int]


def say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def parser() -> tuple[argparse.ArgumentParser, dict[str, Command]]:
    p = argparse.ArgumentParser(prog="aidigest", description="A daily AI news and papers digest.")
    sub = p.add_subparsers(dest="command", required=True)
    commands: dict[str, Command] = {}
    for group in (build, show, search, queue, classify, web):
        commands.update(group.add(sub))
    return p, commands


def main(argv: Sequence[str] | None = None) -> int:
    p, commands = parser()
    args = p.parse_args(argv)
    try:
        settings = load_settings()
    except ValueError as e:
        say(f"Bad settings: {e}")
        return 2
    install_exception_hooks(settings.secrets())  # a crash's traceback, redacted
    try:
        return commands[args.command](args, settings)
    except RedisError as e:
        url = settings.redis.url or DEFAULT_REDIS_URL
        say(f"aidigest {args.command}: {problem(e, url)}")
        return 2
    except (ValueError, OSError, RedisUnavailable) as e:
        say(f"aidigest {args.command}: {e}")
        return 2


if __name__ == "__main__":
    sys.exit(main())
