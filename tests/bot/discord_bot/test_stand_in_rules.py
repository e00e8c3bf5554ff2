"""The Discord stand-in refuses what Discord refuses, with Discord's codes: command uploads,
autocomplete answers, empty messages, nonces, permissions with overwrites, deleted channels,
answers lost after the work was done, and rate limits on by default. Plain HTTP, no bot."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.doubles.discord_control import Control
from tests.doubles.discord_rest import InteractionRecord
from tests.doubles.discord_server import StandIn

MESSAGES = "POST /channels/{channel_id}/messages"
Json = dict[str, Any]


@pytest.fixture
def http(stand_in: StandIn, control: Control) -> Iterator[httpx.Client]:
    control.reset()
    control.limits(off=True)  # these tests are about other refusals (see the last ones)
    auth = {"Authorization": f"Bot {stand_in.token}"}
    with httpx.Client(base_url=stand_in.api_base, headers=auth) as client:
        yield client
    control.reset()


def command(**change: Any) -> Json:
    show = {"type": 1, "name": "show", "description": "A section",
            "options": [{"type": 3, "name": "kind", "description": "news or papers"}]}  # fmt: skip
    return {"type": 1, "name": "aidigest", "description": "The digest", "options": [show],
            **change}  # fmt: skip


def test_command_uploads_are_validated(
    stand_in: StandIn, control: Control, http: httpx.Client
) -> None:
    path = "/applications/1/guilds/5/commands"
    assert http.put(path, json=[command()]).status_code == 200

    def opt(**extra: Any) -> Json:
        return command(options=[{"type": 3, "name": "x", "description": "d", **extra}])

    too_many = [{"name": f"c{i}", "value": f"c{i}"} for i in range(26)]
    optional_first = [{"type": 3, "name": "a", "description": "d"},
                      {"type": 3, "name": "b", "description": "d", "required": True}]  # fmt: skip
    bad = [
        [command(name="AiDigest")],  # names are lowercase
        [command(description="")],
        [command(description="x" * 101)],
        [opt(description="")],  # every option is described
        [opt(type=12)],  # no such option type
        [opt(choices=too_many)],
        [opt(autocomplete=True, choices=[{"name": "a", "value": "a"}])],
        [command(options=optional_first)],
    ]
    for defs in bad:
        r = http.put(path, json=defs)
        assert (r.status_code, r.json()["code"]) == (400, 50035), defs
    assert len(control.stats()["refused_syncs"]) >= len(bad)


def test_messages_are_refused_with_discord_codes(control: Control, http: httpx.Client) -> None:
    (a,) = control.add_guild("codes", [{"name": "a"}])["channels"]
    empty = http.post(f"/channels/{a}/messages", json={"content": "", "embeds": []})
    assert (empty.status_code, empty.json()["code"]) == (400, 50006)
    long_nonce = http.post(f"/channels/{a}/messages", json={"content": "x", "nonce": "n" * 26})
    assert (long_nonce.status_code, long_nonce.json()["code"]) == (400, 50035)
    gone = http.post("/channels/1/messages", json={"content": "x"})
    assert (gone.status_code, gone.json()["code"]) == (404, 10003)
    control.fault(MESSAGES, status=403, times=1)
    denied = http.post(f"/channels/{a}/messages", json={"content": "x"})
    assert (denied.status_code, denied.json()["code"]) == (403, 50013)
    control.fault(MESSAGES, status=404, code=10008, message="Unknown Message")
    other = http.post(f"/channels/{a}/messages", json={"content": "x"})
    assert other.json() == {"code": 10008, "message": "Unknown Message"}
    assert control.stats()["invalid"] == 1  # the 403 counts towards Discord's ban threshold


def test_a_nonce_returns_the_earlier_message_only_within_the_window(
    control: Control, http: httpx.Client
) -> None:
    (a,) = control.add_guild("nonces", [{"name": "a"}])["channels"]
    body = {"content": "once", "nonce": "n-1", "enforce_nonce": True}
    first = http.post(f"/channels/{a}/messages", json=body).json()
    control.clock(advance=60)
    assert http.post(f"/channels/{a}/messages", json=body).json()["id"] == first["id"]
    assert (
        http.post(f"/channels/{a}/messages", json={**body, "enforce_nonce": False}).json()["id"]
        != first["id"]
    )  # without enforce_nonce a nonce is only echoed
    control.clock(advance=130)  # "a few minutes" later Discord has forgotten it
    late = http.post(f"/channels/{a}/messages", json=body).json()
    assert late["id"] != first["id"]
    assert len(control.messages(channel_id=a)) == 3


def test_permissions_follow_overwrites(control: Control, http: httpx.Client) -> None:
    g = control.add_guild("perms", [
        {"name": "no-history", "history": False}, {"name": "no-files", "files": False},
        {"name": "no-embeds", "embeds": False}, {"name": "hidden", "view": False},
        # @everyone may not post there, but the bot's own overwrite allows it
        {"name": "bot-only", "overwrites": [
            {"id": "everyone", "deny": 1 << 11}, {"id": "bot_user", "allow": 1 << 11}]},
    ])  # fmt: skip
    history, files, embeds, hidden, bot_only = g["channels"]
    assert http.post(f"/channels/{history}/messages", json={"content": "x"}).status_code == 200
    assert http.get(f"/channels/{history}/messages").json() == []  # documented: no messages
    png = {"files[0]": ("c.png", b"\x89PNG\r\n\x1a\n", "image/png")}
    refused = http.post(f"/channels/{files}/messages", files=png, data={"payload_json": "{}"})
    assert refused.json()["code"] == 50013
    only_embed = {"embeds": [{"description": "d"}]}
    assert http.post(f"/channels/{embeds}/messages", json=only_embed).json()["code"] == 50013
    with_text = http.post(f"/channels/{embeds}/messages", json={**only_embed, "content": "t"})
    assert with_text.status_code == 200 and with_text.json()["embeds"] == []
    assert http.get(f"/channels/{hidden}/messages").json()["code"] == 50001
    assert http.post(f"/channels/{bot_only}/messages", json={"content": "x"}).status_code == 200
    control.update_channel(bot_only, post=False)
    assert http.post(f"/channels/{bot_only}/messages", json={"content": "x"}).status_code == 403


def test_a_deleted_channel_is_unknown(control: Control, http: httpx.Client) -> None:
    (a,) = control.add_guild("deleting", [{"name": "a"}])["channels"]
    control.delete_channel(a)
    r = http.post(f"/channels/{a}/messages", json={"content": "x"})
    assert (r.status_code, r.json()["code"]) == (404, 10003)


def test_a_lost_answer_still_created_the_message(control: Control, http: httpx.Client) -> None:
    (a,) = control.add_guild("lossy", [{"name": "a"}])["channels"]
    control.fault(MESSAGES, lost=True, status=504)
    assert http.post(f"/channels/{a}/messages", json={"content": "x"}).status_code == 504
    control.fault(MESSAGES, lost=True)  # no status: the connection drops
    with pytest.raises(httpx.TransportError):
        http.post(f"/channels/{a}/messages", json={"content": "y"})
    assert [m["message"]["content"] for m in control.messages(channel_id=a)] == ["x", "y"]


def test_rate_limits_are_on_by_default(control: Control, http: httpx.Client) -> None:
    control.reset()
    (a,) = control.add_guild("busy", [{"name": "a"}])["channels"]
    answers = [http.post(f"/channels/{a}/messages", json={"content": str(i)}) for i in range(6)]
    assert [r.status_code for r in answers] == [200] * 5 + [429]
    assert answers[0].headers["X-RateLimit-Limit"] == "5"
    limited = answers[-1]
    assert set(limited.json()) == {"message", "retry_after", "global"}
    assert limited.headers["X-RateLimit-Scope"] == "user" and limited.headers["Via"]
    assert 0 < limited.json()["retry_after"] <= 5


def interaction(stand_in: StandIn, kind: int, age: float = 0.0) -> tuple[str, InteractionRecord]:
    """An interaction as if just sent to the bot (`age` seconds ago); its callback path."""
    rec = InteractionRecord({"id": "77", "token": "tok", "type": kind, "channel_id": "1"})
    rec.created -= age
    stand_in.state.interactions[77] = stand_in.state.by_token["tok"] = rec
    return "/interactions/77/tok/callback", rec


def test_interaction_answers_are_validated(stand_in: StandIn, http: httpx.Client) -> None:
    path, rec = interaction(stand_in, kind=4)  # an autocomplete
    many = [{"name": f"n{i}", "value": f"v{i}"} for i in range(26)]
    for data in ({"choices": many}, {"choices": [{"name": "x" * 101, "value": "v"}]},
                 {"choices": [{"name": "n", "value": "v" * 101}]}):  # fmt: skip
        r = http.post(path, json={"type": 8, "data": data})
        assert (r.status_code, r.json()["code"]) == (400, 50035)
    wrong = http.post(path, json={"type": 4, "data": {"content": "an autocomplete takes choices"}})
    assert wrong.json()["code"] == 50035
    assert [x["status"] for x in rec.refused] == [400] * 4 and not rec.callbacks
    assert http.post(path, json={"type": 8, "data": {"choices": many[:25]}}).status_code == 204

    path, _ = interaction(stand_in, kind=2)  # a command
    assert http.post(path, json={"type": 4, "data": {"content": ""}}).json()["code"] == 50006
    path, rec = interaction(stand_in, kind=4, age=3.2)
    late = http.post(path, json={"type": 8, "data": {"choices": []}})
    assert (late.status_code, late.json()["code"]) == (404, 10062)
    assert rec.refused[0]["after_ms"] > 3000
