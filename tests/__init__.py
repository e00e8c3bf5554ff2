"""The tests; tests/README.md says where each kind lives and how the stand-ins start."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the checkout
