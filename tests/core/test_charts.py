"""Chart PNGs: size, ordering, Hangul glyph coverage, empty input."""

from __future__ import annotations

import io
import logging
import struct
import sys
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import matplotlib as mpl
import pytest
from PIL import Image

from core import charts, fonts
from core.charts import OTHER_CATEGORIES, _order, _top_series, distribution_png, trend_png

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
DAYS = [f"2024-09-{d:02d}" for d in range(28, 31)] + [f"2024-10-{d:02d}" for d in range(1, 5)]
PAPERS = [
    ("LLM", 48), ("Multimodal", 27), ("Computer Vision", 22), ("Others", 10), ("Robotics", 6),
    ("Natural Language Processing", 18), ("AI Theory", 2), ("Healthcare AI", 0),
]  # fmt: skip
KOREAN = [("자연어 처리", 12), ("오픈AI", 9), ("LLM", 7), ("기타", 3), ("AI 정책·안전", 2)]


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, which always comes first."""
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def glyph_warnings(draw: Callable[[], bytes]) -> tuple[bytes, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        data = draw()
    return data, [str(w.message) for w in caught if "missing from" in str(w.message)]


def test_ensure_fonts_finds_hangul_and_is_idempotent() -> None:
    families = fonts.ensure_fonts()
    assert families[0] == "NanumGothic"
    assert families[-1] == "DejaVu Sans"
    assert fonts.has_hangul(families)
    assert fonts.ensure_fonts() == families
    assert mpl.rcParams["font.family"] == families
    assert mpl.rcParams["font.sans-serif"][: len(families)] == families


def test_packaged_fonts_are_found_without_importing_koreanize() -> None:
    files = {p.name: p for p in fonts.packaged_font_files()}
    assert fonts.covers_hangul(files["NanumGothic.ttf"])
    assert fonts.covers_hangul(files["NanumGothicBold.ttf"])
    assert "koreanize_matplotlib" not in sys.modules  # importing it would rewrite rcParams
    assert not fonts.covers_hangul(Path(mpl.get_data_path()) / "fonts/ttf/DejaVuSans.ttf")


def test_discovery_falls_back_to_system_fonts_then_dejavu(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    fonts.ensure_fonts()  # registers Nanum, so the system scan below has a font to find
    monkeypatch.setattr(fonts, "packaged_font_files", list)
    assert fonts.system_hangul_family() == "NanumGothic"
    assert fonts._discover() == ["NanumGothic", "DejaVu Sans"]

    monkeypatch.setattr(fonts, "system_hangul_family", lambda: None)
    with caplog.at_level(logging.WARNING, logger="core.fonts"):
        families = fonts._discover()
    assert families == ["DejaVu Sans"]
    assert not fonts.has_hangul(families)
    assert "Hangul" in caplog.text


def test_distribution_is_a_1200x675_png() -> None:
    data = distribution_png("Papers · 2024-10-04", PAPERS, "133 items · 7 categories")
    assert png_size(data) == (1200, 675)
    with Image.open(io.BytesIO(data)) as img:
        assert img.format == "PNG"
        assert img.size == (1200, 675)


def test_order_sorts_largest_first_and_drops_zeros() -> None:
    ordered = _order(PAPERS, muted={"Others"})
    counts = [n for _, n in ordered if _ != "Others"]
    assert counts == sorted(counts, reverse=True)
    assert ordered[-1] == ("Others", 10)  # muted goes last, whatever its size
    assert ordered[0] == ("LLM", 48)
    assert "Healthcare AI" not in dict(ordered)
    assert all(n > 0 for n in counts)


def test_order_sums_duplicates_and_puts_muted_last() -> None:
    ordered = _order([("Others", 9), ("A", 5), ("B", 2), ("B", 3), ("C", -1)], muted={"Others"})
    assert ordered == [("A", 5), ("B", 5), ("Others", 9)]


def test_korean_and_english_labels_have_every_glyph() -> None:
    data, missing = glyph_warnings(
        lambda: distribution_png("뉴스 · 2024-10-04", KOREAN, "33건 · 5개 분야", muted={"기타"})
    )
    assert png_size(data) == (1200, 675)
    assert missing == []


def test_missing_glyph_check_can_fail() -> None:
    """Proves the test above is meaningful: without a Hangul font the warning does appear."""
    fonts.ensure_fonts()  # so the chart's own call is a no-op and leaves our rc in place
    with mpl.rc_context({"font.family": ["DejaVu Sans"]}):
        _, missing = glyph_warnings(lambda: distribution_png("뉴스", KOREAN))
    assert missing
    assert any("DejaVu Sans" in m for m in missing)


def test_trend_with_7_days_and_10_categories() -> None:
    series = {f"Category {i}": [(i * 7 + d) % 9 for d in range(len(DAYS))] for i in range(10)}
    series["오픈AI"] = [1, 2, 3, 4, 5, 6, 7]
    data, missing = glyph_warnings(lambda: trend_png("Papers · last 7 days", DAYS, series))
    assert png_size(data) == (1200, 675)
    assert missing == []


def test_top_series_folds_the_rest_into_one_line() -> None:
    series = {f"c{i}": [i, i] for i in range(10)}  # c0 sums to zero and is dropped
    lines = _top_series(series, top=6)
    assert [name for name, _ in lines] == ["c9", "c8", "c7", "c6", "c5", "c4", OTHER_CATEGORIES]
    assert lines[-1][1] == [1 + 2 + 3, 1 + 2 + 3]
    # One leftover line is shown under its own name rather than as "Other categories".
    assert [n for n, _ in _top_series({"a": [3], "b": [2], "c": [1]}, top=2)] == ["a", "b", "c"]


def test_trend_rejects_series_of_the_wrong_length() -> None:
    with pytest.raises(ValueError, match="3 days"):
        trend_png("t", DAYS[:3], {"a": [1, 2]})


def test_day_labels() -> None:
    assert charts._day_label("2024-10-04") == "10-04"
    assert charts._day_label("Mon") == "Mon"


@pytest.mark.parametrize(
    "draw",
    [
        lambda: distribution_png("News · 2024-10-04", []),
        lambda: distribution_png("News", [("LLM", 0), ("Others", 0)], "0 items"),
        lambda: trend_png("Trend", [], {}),
        lambda: trend_png("Trend", DAYS, {"LLM": [0] * 7}),
    ],
    ids=["no-counts", "all-zero", "no-days", "all-zero-trend"],
)
def test_empty_input_still_gives_an_image(draw: Callable[[], bytes]) -> None:
    assert png_size(draw()) == (1200, 675)


def test_concurrent_drawing() -> None:
    def job(i: int) -> bytes:
        if i % 2:
            return trend_png("t", DAYS, {"LLM": list(range(7)), "오픈AI": [i] * 7})
        return distribution_png(f"chart {i}", KOREAN)

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(job, range(8)))
    assert all(png_size(r) == (1200, 675) for r in results)
