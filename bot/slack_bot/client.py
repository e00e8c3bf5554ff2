"""The Slack Web API client: our base URL, and retries that can never double post.

429s are retried by the SDK's rate-limit handler (Slack did nothing, and says when to come
back). 5xx answers and dropped connections are retried by the SDK only for methods that post
nothing; for chat.postMessage and a file share the work may have been done before the error, so
the Ledger looks the message up before it sends again (bot/common/ledger.py).
"""

from __future__ import annotations

import aiohttp
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

POSTING = ("chat.postMessage", "chat.update", "files.completeUploadExternal", "chat.delete")


def posts(request: HttpRequest) -> bool:
    method = request.url.rsplit("/", 1)[-1].split("?", 1)[0]
    return method in POSTING


class ReadOnlyRetry(AsyncConnectionErrorRetryHandler):
    """Retries a 5xx answer or a dropped connection, only for methods that post nothing."""

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if posts(request):
            return False
        if response is not None and 500 <= response.status_code < 600:
            return True
        return await super()._can_retry_async(
            state=state, request=request, response=response, error=error
        )


def retry_handlers() -> list[AsyncRetryHandler]:
    return [
        AsyncRateLimitErrorRetryHandler(max_retry_count=5),
        ReadOnlyRetry(max_retry_count=2),
    ]


def make_client(
    api_url: str,
    token: str | None = None,
    *,
    session: aiohttp.ClientSession | None = None,
    timeout: int = 30,
) -> AsyncWebClient:
    """`api_url` must end with /api/ (SLACK_API_URL; a stand-in's in tests). Hand it a
    `session` to reuse connections (without one the SDK opens one per call)."""
    base = api_url if api_url.endswith("/") else api_url + "/"
    return AsyncWebClient(
        token=token,
        base_url=base,
        timeout=timeout,
        retry_handlers=retry_handlers(),
        session=session,
    )


def make_session(connections: int = 256) -> aiohttp.ClientSession:
    """One pool of connections to Slack for the whole process (call inside the event loop)."""
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=connections))
