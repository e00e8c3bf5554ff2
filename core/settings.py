"""Settings, one pydantic-settings section per concern, each with its env prefix.

Only entry points (the CLI, `python -m workers`, the bots) call `load_settings()`; everything else
is handed the section it needs. `.env.example` lists every field (tests/test_settings.py checks).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def _section(prefix: str) -> SettingsConfigDict:
    return SettingsConfigDict(env_prefix=prefix, env_file=".env", extra="ignore")


def _one_of(field: str, *choices: str) -> Any:
    """A validator of a section's `field`: one of `choices`, or an error that names the
    variable ("DIGEST_LANGUAGE must be ko or en")."""

    def check(cls: type[BaseSettings], value: str) -> str:
        if value not in choices:
            variable = (cls.model_config.get("env_prefix", "") + field).upper()
            raise ValueError(f"{variable} must be {', '.join(choices[:-1])} or {choices[-1]}")
        return value

    return field_validator(field)(classmethod(check))


class DigestSettings(BaseSettings):
    model_config = _section("DIGEST_")

    language: str = "ko"  # default language of reports, posts and replies: ko or en
    languages: str = ""  # comma list of languages to build, e.g. "ko,en"; empty = `language`
    timezone: str = "Asia/Seoul"  # a digest's date is a calendar date here
    build_time: str = "07:00"  # local time of the daily build, in `timezone`
    retention_days: int = 365
    sources_file: Path | None = None  # TOML; None = the shipped core/data/sources.toml
    taxonomy_file: Path | None = None  # TOML; None = the shipped core/data/taxonomy.toml
    out_dir: Path = Path("reports")  # where the CLI writes days
    section_cap: int = 8  # items summarised per section (the chart counts all)
    key_prefix: str = "aidigest"  # Redis key namespace
    log_format: str = "auto"  # auto (JSON when not a terminal), json or text
    clock_offset: float = 0.0  # seconds added to the real time: rehearsals and system tests
    classifier: str = "semantic"  # the offline classifier: semantic or rules
    public_url: str = ""  # the web archive's address (aidigest web); bots link sections to it
    arxiv_holidays_file: Path | None = None  # TOML; None = core/data/arxiv_holidays.toml

    def build_languages(self) -> list[str]:
        langs = [x.strip() for x in self.languages.split(",") if x.strip()]
        return langs or [self.language]

    _known_language = _one_of("language", "ko", "en")
    _known_classifier = _one_of("classifier", "semantic", "rules")


class RedisSettings(BaseSettings):
    model_config = _section("REDIS_")

    url: str | None = None  # e.g. redis://127.0.0.1:6379/0; unset = the CLI works on files only


class OpenAISettings(BaseSettings):
    model_config = _section("OPENAI_")

    api_key: SecretStr | None = None
    base_url: str | None = None  # an OpenAI-compatible server (Ollama, vLLM, llama.cpp)
    model: str = "gpt-4o-mini"
    timeout: float = 0.0  # seconds per request; 0 = 60 for OpenAI, 600 for other servers
    max_retries: int = 3
    concurrency: int = 16  # requests in flight at once
    cache_dir: Path = Path(".cache/aidigest-llm")  # the CLI's cache when no Redis is configured
    response_format: str = "auto"  # auto (learned), json_schema, json_object or text
    context_tokens: int = 0  # the model's context window when small (Ollama: 2048); 0 = ample
    budget_seconds: float = 1800.0  # a build's LLM wall time; then sections are written offline
    budget_tokens: int = 2_000_000  # a build's LLM tokens; 0 = no limit (either budget)

    @property
    def configured(self) -> bool:
        return self.api_key is not None or bool(self.base_url)

    _known_format = _one_of("response_format", "auto", "json_schema", "json_object", "text")


class SlackSettings(BaseSettings):
    model_config = _section("SLACK_")

    bot_token: SecretStr | None = None  # one workspace; leave empty for the OAuth install flow
    app_token: SecretStr | None = None  # xapp-…: Socket Mode when set, HTTP mode otherwise
    signing_secret: SecretStr | None = None
    client_id: str | None = None  # OAuth (many workspaces)
    client_secret: SecretStr | None = None
    port: int = 3000
    api_url: str = "https://slack.com/api/"
    subscribe_policy: str = "anyone"  # anyone | admins


class DiscordSettings(BaseSettings):
    model_config = _section("DISCORD_")

    token: SecretStr | None = None
    shards: int = 0  # >0 turns on AutoShardedClient with that many shards
    api_base: str | None = None  # only for tests against a local stand-in
    gateway_url: str | None = None  # only for tests against a local stand-in


class WebSettings(BaseSettings):
    model_config = _section("WEB_")

    host: str = "127.0.0.1"  # aidigest web listens here
    port: int = 8080
    workers: int = 1  # processes sharing the port (the Procfile's other processes share the cores)


class Settings:
    """All sections together, as entry points hand them out."""

    def __init__(self) -> None:
        self.digest = DigestSettings()
        self.redis = RedisSettings()
        self.openai = OpenAISettings()
        self.slack = SlackSettings()
        self.discord = DiscordSettings()
        self.web = WebSettings()

    def secrets(self) -> list[str]:
        """Every secret value configured (tokens, keys, a Redis password), for log redaction."""
        out: list[str] = []
        for section in (self.digest, self.redis, self.openai, self.slack, self.discord):
            for name in type(section).model_fields:
                value = getattr(section, name)
                if isinstance(value, SecretStr):
                    out.append(value.get_secret_value())
        if self.redis.url and (password := urlsplit(self.redis.url).password):
            out.append(password)
        return [s for s in out if s]


SECTIONS: tuple[type[BaseSettings], ...] = (
    DigestSettings,
    RedisSettings,
    OpenAISettings,
    SlackSettings,
    DiscordSettings,
    WebSettings,
)


def env_names() -> set[str]:
    """Every environment variable the settings read (for the .env.example check)."""
    names: set[str] = set()
    for section in SECTIONS:
        prefix = str(section.model_config.get("env_prefix", ""))
        names.update((prefix + name).upper() for name in section.model_fields)
    return names


def load_settings() -> Settings:
    return Settings()


__all__ = [
    "DigestSettings",
    "DiscordSettings",
    "OpenAISettings",
    "RedisSettings",
    "Settings",
    "SlackSettings",
    "WebSettings",
    "env_names",
    "load_settings",
]
