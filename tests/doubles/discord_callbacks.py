"""The stand-in's application routes: command uploads, interaction callbacks and followups.

A command upload is validated as Discord validates it (discord_rules.command_problems) and
refused whole with 50035. A callback must come within 3 seconds of the interaction (else 10062
Unknown interaction), once (40060), of a type that fits the interaction: an autocomplete takes
only an autocomplete result (at most 25 choices of at most 100 characters), a command a message
or a deferral, a component also an update of its message. Every refused answer is kept on the
interaction's record (`refused`), so a test sees what Discord would have rejected.
"""

from __future__ import annotations

import time
from typing import Any

from aiohttp import web

from tests.doubles import discord_payloads as p
from tests.doubles import discord_rules as rules
from tests.doubles.discord_guilds import Channel
from tests.doubles.discord_rest import (
    API,
    ARRIVED,
    EMPTY,
    INTERACTION_TTL,
    InteractionRecord,
    State,
    error,
    invalid_form,
    json_response,
    read_body,
)

Json = dict[str, Any]
MESSAGE, DEFERRED, DEFERRED_UPDATE, UPDATE, AUTOCOMPLETE_RESULT = 4, 5, 6, 7, 8
COMMAND, COMPONENT, AUTOCOMPLETE = 2, 3, 4
ALLOWED = {  # interaction type -> the callback types Discord takes for it
    COMMAND: {MESSAGE, DEFERRED, 9}, AUTOCOMPLETE: {AUTOCOMPLETE_RESULT},
    COMPONENT: {MESSAGE, DEFERRED, DEFERRED_UPDATE, UPDATE, 9},
}  # fmt: skip
TOKEN_TTL = 15 * 60.0  # followups and edits work this long after the interaction


def routes(state: State) -> web.RouteTableDef:
    r = web.RouteTableDef()

    @r.get(API + "/applications/{application_id}/commands")
    @r.get(API + "/applications/{application_id}/guilds/{guild_id}/commands")
    async def get_commands(request: web.Request) -> web.Response:
        return json_response(state.commands.get(request.match_info.get("guild_id", "global"), []))

    @r.put(API + "/applications/{application_id}/commands")
    @r.put(API + "/applications/{application_id}/guilds/{guild_id}/commands")
    async def put_commands(request: web.Request) -> web.Response:
        scope = request.match_info.get("guild_id", "global")
        defs = await request.json()
        if not isinstance(defs, list):
            return invalid_form(["expected a list of commands"])
        if problems := rules.command_problems(defs):
            state.refused_syncs.append({"scope": scope, "errors": problems})
            return invalid_form(problems)
        out = [{**d, "id": str(p.snowflake()), "application_id": str(state.app_id), "version": "1",
                **({"guild_id": scope} if scope != "global" else {})} for d in defs]  # fmt: skip
        state.commands[scope] = out
        state.syncs.append(scope)
        return json_response(out)

    @r.post(API + "/interactions/{interaction_id}/{token}/callback")
    async def callback(request: web.Request) -> web.Response:
        rec = state.interactions.get(int(request.match_info["interaction_id"]))
        if rec is None or rec.payload["token"] != request.match_info["token"]:
            return error(404, 10062, "Unknown interaction")
        body, files = await read_body(request)
        arrived = request.get(ARRIVED, time.monotonic())  # set first thing by the middleware
        refused = _refusal(rec, body, files, arrived)
        if refused is not None:
            rec.refused.append({"type": body.get("type"), "status": refused.status,
                                "after_ms": (arrived - rec.created) * 1000,
                                "body": refused.text})  # fmt: skip
            return refused
        data = body.get("data") or {}
        rec.latency_ms = (arrived - rec.created) * 1000
        rec.callbacks.append({"type": body.get("type"), "data": data, "files": files,
                              "would_ping": p.would_ping(data)})  # fmt: skip
        rec.answered.set()
        kind = body.get("type")
        if kind in (MESSAGE, DEFERRED):
            msg = p.message(p.snowflake(), _channel_of(state, rec), state.bot, data, files)
            state.answered_with(rec, msg)
        elif kind == UPDATE:  # the message whose component was pressed, changed in place
            _update(rec.payload["message"]["id"], state, data, files)
        if kind == AUTOCOMPLETE_RESULT or request.query.get("with_response") not in ("1", "true"):
            return web.Response(status=204, headers={"Via": "1.1 google"})
        msg = rec.messages[-1] if kind in (MESSAGE, DEFERRED) else rec.payload.get("message", {})
        return json_response({"interaction": {"id": rec.payload["id"], "type": rec.payload["type"],
                                              "response_message_id": msg.get("id"),
                                              "response_message_loading": kind == DEFERRED,
                                              "response_message_ephemeral": bool(
                                                  data.get("flags", 0) & 64)},
                              "resource": {"type": kind, "message": msg}})  # fmt: skip

    @r.post(API + "/webhooks/{webhook_id}/{token}")
    @r.patch(API + "/webhooks/{webhook_id}/{token}/messages/{message_id}")
    async def followup(request: web.Request) -> web.Response:
        rec = state.by_token.get(request.match_info["token"])
        if (
            rec is None
            or not rec.callbacks
            or request.match_info["webhook_id"] != str(state.app_id)
            or time.monotonic() - rec.created > TOKEN_TTL
        ):
            return error(404, 10015, "Unknown Webhook")
        body, files = await read_body(request)
        if problems := rules.message_problems(body, {f["filename"] for f in files}):
            return invalid_form(problems)
        if request.method == "POST" and rules.is_empty(body, files):
            return error(*EMPTY)
        entry = {"data": body, "files": files, "would_ping": p.would_ping(body)}
        if request.method == "PATCH":
            rec.edits.append(entry)
            mid = request.match_info["message_id"]
            target = rec.messages[0]["id"] if mid == "@original" and rec.messages else mid
            return json_response(_update(target, state, body, files) or {})
        rec.followups.append(entry)
        msg = p.message(p.snowflake(), _channel_of(state, rec), state.bot, body, files)
        state.answered_with(rec, msg)
        return json_response(msg)

    @r.delete(API + "/webhooks/{webhook_id}/{token}/messages/{message_id}")
    async def delete_response(request: web.Request) -> web.Response:
        rec = state.by_token.get(request.match_info["token"])
        if rec is None or not rec.callbacks:
            return error(404, 10008, "Unknown Message")
        rec.edits.append({"deleted": request.match_info["message_id"]})
        return web.Response(status=204)

    return r


def _refusal(
    rec: InteractionRecord, body: Json, files: list[Json], arrived: float
) -> web.Response | None:
    if rec.callbacks:
        return error(400, 40060, "Interaction has already been acknowledged.")
    if arrived - rec.created > INTERACTION_TTL:
        return error(404, 10062, "Unknown interaction")
    kind, data = body.get("type"), body.get("data") or {}
    if kind not in ALLOWED.get(rec.payload["type"], set()):
        return invalid_form([f"type: {kind} does not answer an interaction of this type"])
    if kind == AUTOCOMPLETE_RESULT:
        problems = rules.choice_problems(data.get("choices"))
        return invalid_form(problems) if problems else None
    problems = rules.message_problems(data, {f["filename"] for f in files})
    if problems:
        return invalid_form(problems)
    if kind == MESSAGE and rules.is_empty(data, files):
        return error(*EMPTY)
    return None


def _update(mid: str, state: State, body: Json, files: list[Json]) -> Json | None:
    """Edit a message of the bot in place: what an edit or an UPDATE_MESSAGE callback sends."""
    msg = state.find_message(mid)
    if msg is not None:
        for key in ("content", "embeds", "components"):
            if key in body:
                msg[key] = body[key] or ([] if key != "content" else "")
        if files:
            msg["attachments"] = [{"filename": f["filename"], "size": f["size"]} for f in files]
    return msg


def _channel_of(state: State, rec: InteractionRecord) -> Channel:
    """Where the answer shows: the guild channel, or the user's DM with the bot."""
    cid = int(rec.payload["channel_id"])
    return state.channels.get(cid) or Channel(cid, 0, "dm", type=1)
