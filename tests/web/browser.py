"""Headless Debian Chromium driven by Playwright, for the browser tests.

Playwright's own browser download cannot work on these machines; it drives the system's
`chromium` (installed by .ci/run) through `executable_path`. The flags keep Chromium from
reaching for Google's services on a closed network and let it run as root in CI.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, ViewportSize

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
PHONE: ViewportSize = {
    "width": 375,
    "height": 812,
}  # an iPhone's CSS width: the narrowest we promise
HANGUL = re.compile(r"[\uac00-\ud7a3\u3001-\u303f]")  # syllables, CJK punctuation (「」)
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    """The browser to drive; in CI its absence is a failure, elsewhere a skip."""
    path = os.environ.get("AIDIGEST_CHROMIUM") or shutil.which("chromium") or ""
    if not path:
        message = "chromium is not installed (apt-get install chromium; .ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def hangul_families() -> set[str]:
    """System font families that draw Hangul and CJK punctuation (fontconfig's view)."""
    try:
        out = subprocess.run(
            ["fc-list", ":charset=ac00 300c", "family"], capture_output=True, text=True, timeout=20
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return set()
    return {name.strip() for line in out.splitlines() for name in line.split(",") if name}


class Watched:
    """A page whose dialogs, console errors and script errors are recorded."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        page.on("dialog", self._dialog)
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))

    def _dialog(self, d: Dialog) -> None:
        self.dialogs.append(d.message)
        d.dismiss()

    def _console(self, m: ConsoleMessage) -> None:
        if m.type in ("error", "warning"):
            self.errors.append(f"{m.type}: {m.text}")

    def open(self, url: str) -> Page:
        self.page.goto(url)
        self.page.wait_for_load_state("networkidle")
        self.page.evaluate("document.fonts.ready.then(() => true)")
        return self.page


def hangul_not_tofu(page: Page) -> int:
    """Check every element's own Hangul is drawn by fonts that have it; returns how many
    syllables were checked. Chromium reports the fonts it used per element (CSS domain)."""
    capable = hangul_families()
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1, "pierce": False})["root"]
    checked = 0
    stack: list[dict[str, Any]] = [root]
    while stack:
        node = stack.pop()
        kids = node.get("children", [])
        stack.extend(kids)
        own = "".join(k.get("nodeValue", "") for k in kids if k.get("nodeType") == 3)
        syllables = len(HANGUL.findall(own))
        if node.get("nodeType") != 1 or not syllables or node.get("nodeName") in ("TITLE",):
            continue
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]
        drawn = sum(
            f["glyphCount"] for f in fonts if f["isCustomFont"] or f["familyName"] in capable
        )
        assert drawn >= syllables, (node.get("nodeName"), own[:60], fonts)
        checked += syllables
    cdp.detach()
    return checked


def page_width_on_a_phone(browser: Browser, url: str) -> int:
    """How wide `url` lays out at 375 px (a mobile viewport): over 375, it scrolls sideways."""
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    try:
        page = context.new_page()
        page.goto(url)
        page.wait_for_load_state("networkidle")
        return int(page.evaluate("document.documentElement.scrollWidth"))
    finally:
        context.close()
