"""Static word embeddings from the `wordllama` wheel: a title's vector is the mean of its tokens'.

The wheel (MIT; weights trained from the token embeddings of Llama 2 70B and other models that share
Llama 2's tokenizer) carries `wordllama/weights/l2_supercat_256.safetensors` (32,000 tokens x 256,
16 MB) and its tokenizer. We read those two files straight from the installed distribution, with
`tokenizers` and `safetensors`: no import of wordllama's loader, which would try to download the
tokenizer from the network (it looks for it under `tokenizer/`, the wheel has `tokenizers/`).
The tokenizer has almost no Korean (bytes), so Korean is glossed first (core/classify/hangul.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import numpy as np
import numpy.typing as npt
from safetensors.numpy import load_file
from tokenizers import Tokenizer

Matrix = npt.NDArray[np.float32]

DISTRIBUTION = "wordllama"
WEIGHTS = "wordllama/weights/l2_supercat_256.safetensors"
TOKENIZER = "wordllama/tokenizers/l2_supercat_tokenizer_config.json"
TENSOR = "embedding.weight"


class ModelMissing(RuntimeError):
    """The embedding model's files are not installed."""


def _installed(relative: str) -> Path:
    try:
        dist = metadata.distribution(DISTRIBUTION)
    except metadata.PackageNotFoundError as e:
        raise ModelMissing(f"the {DISTRIBUTION} package is not installed") from e
    path = Path(str(dist.locate_file(relative)))
    if not path.is_file():
        raise ModelMissing(f"{relative} is not in the installed {DISTRIBUTION} package")
    return path


class StaticEmbedder:
    """Text -> unit vectors (mean of token vectors); no context, so microseconds per title."""

    def __init__(self, vectors: Matrix, tokenizer: Tokenizer) -> None:
        self.vectors = vectors
        self.tokenizer = tokenizer
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()

    @property
    def dim(self) -> int:
        return int(self.vectors.shape[1])

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        encoded = self.tokenizer.encode_batch(list(texts), add_special_tokens=False)
        return [e.ids for e in encoded]

    def embed_ids(self, ids: Sequence[Sequence[int]]) -> Matrix:
        out = np.zeros((len(ids), self.dim), dtype=np.float32)
        for row, tokens in enumerate(ids):
            if tokens:
                out[row] = self.vectors[list(tokens)].mean(axis=0)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return (out / np.where(norms == 0, 1.0, norms)).astype(np.float32)

    def embed(self, texts: Sequence[str]) -> Matrix:
        return self.embed_ids(self.token_ids(texts))


@lru_cache(maxsize=1)
def load_embedder() -> StaticEmbedder:
    """The bundled model, read once per process from the installed wheel (no network)."""
    vectors = load_file(str(_installed(WEIGHTS)))[TENSOR].astype(np.float32)
    return StaticEmbedder(vectors, Tokenizer.from_file(str(_installed(TOKENIZER))))
