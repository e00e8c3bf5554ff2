"""Nothing a user types is fetched: a URL in a command is only ever an error."""

from datetime import date

import pytest

from core.query import QueryError, parse
from core.taxonomy import load_taxonomy

TAX = load_taxonomy()


@pytest.mark.parametrize(
    "text",
    [
        "papers https://example.com/feed.xml",
        "http://169.254.169.254/latest/meta-data",
        "subscribe news <http://evil.example|here>",
        "subscribe papers file:///etc/passwd",
    ],
)
def test_a_url_is_an_error_never_a_query(text: str) -> None:
    q = parse(text, TAX, date(2024, 10, 5))
    assert isinstance(q, QueryError) and "/aidigest " in q.message
