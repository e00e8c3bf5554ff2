"""Chart PNGs for the digest: one day's category distribution and a multi-day trend.

Every chart is a fresh `Figure` on its own Agg canvas (no pyplot), so workers can draw
concurrently without sharing pyplot's global figure state. Output is exactly 1200×675 px and
uses large type because Slack and Discord show previews at roughly a third of that width.
"""

from __future__ import annotations

import io
from collections.abc import Collection, Mapping, Sequence

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from core.fonts import ensure_fonts

WIDTH_PX, HEIGHT_PX, DPI = 1200, 675, 100
PAD_PX = 40  # outer margin on every side
MAX_LABEL_CHARS = 30
OTHER_CATEGORIES = "Other categories"

INK = "#1F2937"
SOFT_INK = "#6B7280"
GRID = "#E5E7EB"
ACCENT = "#3A6FD8"
MUTED = "#B6BDC8"
# Tableau 10: distinct, colour-blind tolerant, readable on white.
PALETTE = (
    "#4E79A7", "#F28E2B", "#E15759", "#59A14F", "#B07AA1",
    "#76B7B2", "#EDC948", "#FF9DA7", "#9C755F", "#2F4B7C",
)  # fmt: skip

TITLE_PT, SUBTITLE_PT, TICK_PT, LEGEND_PT = 26, 17, 17, 17


def _px_to_pt(px: float) -> float:
    return px * 72 / DPI


def _short(label: str, limit: int = MAX_LABEL_CHARS) -> str:
    """Long names would squeeze the plot; cut them short.

    Three periods, not "…": NanumGothic draws U+2026 as mid-height dots.
    """
    return label if len(label) <= limit else label[: limit - 3].rstrip() + "..."


def _order(counts: Sequence[tuple[str, int]], muted: Collection[str] = ()) -> list[tuple[str, int]]:
    """Bars top to bottom: positive counts only, duplicates summed, largest first.

    Muted categories (e.g. "Others", counted but never a section) go last whatever their size,
    so the eye meets the real sections first. Ties keep input order.
    """
    totals: dict[str, int] = {}
    for name, n in counts:
        totals[name] = totals.get(name, 0) + int(n)
    kept = [(name, n) for name, n in totals.items() if n > 0]
    return sorted(kept, key=lambda item: (item[0] in muted, -item[1]))


def _top_series(series: Mapping[str, Sequence[int]], top: int) -> list[tuple[str, list[int]]]:
    """The `top` categories by total (zero totals dropped), the rest summed as one line."""
    ranked = sorted(
        ((name, [int(v) for v in values]) for name, values in series.items()),
        key=lambda item: -sum(item[1]),
    )
    ranked = [item for item in ranked if sum(item[1]) > 0]
    if len(ranked) <= top + 1:  # folding a single line into "Other" would only hide its name
        return ranked
    rest = [sum(col) for col in zip(*(values for _, values in ranked[top:]), strict=True)]
    return [*ranked[:top], (OTHER_CATEGORIES, rest)]


def _new_figure() -> Figure:
    fig = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI, facecolor="white")
    FigureCanvasAgg(fig)  # attaches itself as fig.canvas: Agg, whatever pyplot's backend is
    return fig


def _header(fig: Figure, title: str, subtitle: str) -> float:
    """Draw a left-aligned title block; return its bottom edge in pixels from the top."""
    fig.text(
        PAD_PX / WIDTH_PX, 1 - 28 / HEIGHT_PX, title,
        fontsize=TITLE_PT, fontweight="bold", color=INK, va="top",
    )  # fmt: skip
    if not subtitle:
        return 28 + 40
    fig.text(
        PAD_PX / WIDTH_PX, 1 - 74 / HEIGHT_PX, subtitle,
        fontsize=SUBTITLE_PT, color=SOFT_INK, va="top",
    )  # fmt: skip
    return 74 + 28


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    fig.clear()
    return buf.getvalue()


def _no_items(fig: Figure, top_px: float) -> bytes:
    mid = (1 - top_px / HEIGHT_PX) / 2
    fig.text(0.5, mid, "No items", fontsize=30, color=SOFT_INK, ha="center", va="center")
    return _png(fig)


def _place(ax: Axes, left: float, top: float, right: float, bottom: float) -> None:
    """Position axes by pixel margins from each figure edge."""
    ax.set_position(
        (
            left / WIDTH_PX,
            bottom / HEIGHT_PX,
            (WIDTH_PX - left - right) / WIDTH_PX,
            (HEIGHT_PX - top - bottom) / HEIGHT_PX,
        )
    )


def distribution_png(
    title: str,
    counts: Sequence[tuple[str, int]],
    subtitle: str = "",
    muted: Collection[str] = ("Others",),
) -> bytes:
    """Horizontal bars of items per category, largest on top, as 1200×675 PNG bytes."""
    ensure_fonts()
    rows = _order(counts, muted)
    fig = _new_figure()
    top_px = _header(fig, title, subtitle) + 14
    if not rows:
        return _no_items(fig, top_px)

    bottom_px = PAD_PX - 16
    row_px = (HEIGHT_PX - top_px - bottom_px) / len(rows)
    label_pt = _px_to_pt(min(30.0, max(16.0, row_px * 0.6)))
    names = [_short(name) for name, _ in rows]
    values = [n for _, n in rows]
    colors = [MUTED if name in muted else ACCENT for name, _ in rows]

    ax = fig.add_axes((0, 0, 1, 1))
    ys = list(range(len(rows)))
    # With few rows, cap bar thickness so bars don't turn into slabs.
    bars = ax.barh(ys, values, height=min(0.72, 52 / row_px), color=colors)
    ax.set_ylim(len(rows) - 0.5, -0.5)  # inverted: row 0, the largest, on top
    ax.set_yticks(ys, names, fontsize=label_pt, color=INK)
    for tick, color in zip(ax.get_yticklabels(), colors, strict=True):
        if color == MUTED:
            tick.set_color(SOFT_INK)
    ax.tick_params(axis="y", length=0, pad=12)
    ax.xaxis.set_visible(False)  # the counts are written on the bars
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    ax.spines["left"].set_color(GRID)
    texts = ax.bar_label(bars, padding=8, fontsize=label_pt, color=INK, fontweight="bold")

    # Measure the rendered labels so the axes use all the width left after them.
    label_w = max(t.get_window_extent().width for t in ax.get_yticklabels())
    count_w = max(t.get_window_extent().width for t in texts)
    left_px = PAD_PX + label_w + 12
    _place(ax, left_px, top_px, PAD_PX, bottom_px)
    axes_w = WIDTH_PX - left_px - PAD_PX
    room = count_w + 8 * DPI / 72 + 6  # label width + bar_label padding + breathing space
    ax.set_xlim(0, max(values) * axes_w / max(axes_w - room, 1.0))
    return _png(fig)


def _day_label(day: str) -> str:
    """'2024-10-04' -> '10-04'; anything else is shown as given."""
    parts = day.split("T")[0].split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        return f"{parts[1]}-{parts[2]}"
    return day


def trend_png(
    title: str,
    days: Sequence[str],
    series: Mapping[str, Sequence[int]],
    top: int = 6,
    *,
    subtitle: str | None = None,
) -> bytes:
    """One line per top category across `days` (others summed), as 1200×675 PNG bytes.

    `subtitle=None` writes the date span ("Items per day · <first> to <last>"); "" omits it.
    """
    ensure_fonts()
    for name, values in series.items():
        if len(values) != len(days):
            raise ValueError(f"series {name!r} has {len(values)} values for {len(days)} days")
    lines = _top_series(series, max(top, 1)) if days else []
    fig = _new_figure()
    if subtitle is None:
        # "to", not an en dash: between ISO dates a dash reads as one more hyphen.
        span = f"{days[0]} to {days[-1]}" if len(days) > 1 else (days[0] if days else "")
        subtitle = f"Items per day · {span}" if span else ""
    top_px = _header(fig, title, subtitle) + 20
    if not lines:
        return _no_items(fig, top_px)

    ax = fig.add_axes((0, 0, 1, 1))
    xs = list(range(len(days)))
    dense = len(days) > 14
    for i, (name, values) in enumerate(lines):
        other = name == OTHER_CATEGORIES
        ax.plot(
            xs, values,
            label=_short(name, 28),
            color=MUTED if other else PALETTE[i % len(PALETTE)],
            linestyle="--" if other else "-",
            linewidth=2 if dense else 3, marker="o", markersize=4 if dense else 8,
            clip_on=False, zorder=3,
        )  # fmt: skip

    step = max(1, -(-len(days) // 10))  # at most ~10 date labels
    shown = xs[::-1][::step][::-1]  # counted back from the latest day, which is always labelled
    ax.set_xticks(shown, [_day_label(days[i]) for i in shown])
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
    ax.tick_params(labelsize=TICK_PT, colors=INK, length=0, pad=8)
    ax.grid(axis="y", color=GRID, linewidth=1)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color(GRID)
    legend = ax.legend(
        loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False,
        fontsize=LEGEND_PT, labelcolor=INK, handlelength=2.2, borderaxespad=0.0,
        labelspacing=0.7,
    )  # fmt: skip

    # First pass only to measure tick labels and the legend; then fit the axes between them.
    _place(ax, 100, top_px, 300, 60)
    ytick_w = max(
        (t.get_window_extent().width for t in ax.get_yticklabels() if t.get_text()),
        default=0.0,
    )
    legend_w = legend.get_window_extent().width
    _place(ax, PAD_PX + ytick_w + 8, top_px, PAD_PX + legend_w + 24, PAD_PX + 20)
    axes_w = ax.get_window_extent().width
    legend.set_bbox_to_anchor((1.0 + 24 / axes_w, 1.0))
    # ~32 px either side so the first/last date labels and markers clear the edges.
    if len(days) == 1:
        ax.set_xlim(-1, 1)
    else:
        margin = 32 * (len(days) - 1) / max(axes_w - 64, 1.0)
        ax.set_xlim(-margin, len(days) - 1 + margin)
    return _png(fig)
