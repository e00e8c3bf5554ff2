"""`.env.example` lists exactly the variables the settings read."""

import re

import pytest

from core.settings import DigestSettings, env_names
from tests import ROOT


def example_names() -> set[str]:
    text = (ROOT / ".env.example").read_text("utf-8")
    return set(re.findall(r"^([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))


def test_env_example_matches_settings() -> None:
    assert example_names() == env_names()


def test_env_example_values_are_valid(monkeypatch: pytest.MonkeyPatch) -> None:
    for line in (ROOT / ".env.example").read_text("utf-8").splitlines():
        m = re.match(r"^(DIGEST_[A-Z_]+)=(\S*)", line)
        if m and m.group(2):
            monkeypatch.setenv(m.group(1), m.group(2))
    s = DigestSettings(_env_file=None)  # type: ignore[call-arg]
    assert s.language == "ko" and s.timezone == "Asia/Seoul" and s.build_languages() == ["ko"]


def test_unknown_language_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIGEST_LANGUAGE", "fr")
    with pytest.raises(ValueError, match="ko or en"):
        DigestSettings(_env_file=None)  # type: ignore[call-arg]


def test_secrets_lists_every_configured_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    from core.settings import Settings

    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test-token-1")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-key-2")
    monkeypatch.setenv("REDIS_URL", "redis://:redispass3@127.0.0.1:6379/0")
    monkeypatch.setenv("DISCORD_TOKEN", "discord-token-4")
    found = set(Settings().secrets())
    assert {"xoxb-test-token-1", "sk-test-key-2", "redispass3", "discord-token-4"} <= found
