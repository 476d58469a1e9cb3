"""Grouping similar texts, offline: TF-IDF on words and character n-grams (so "leefloon" and
"leeflonen", "Rollstuhl" and "Rollstuhlfahrer" meet), reduced by a truncated SVD, clustered by
mini-batch k-means with more clusters than themes; clusters whose centres are close are then
joined, and texts far from their centre stay outside any theme. Pure: no database here."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from sklearn.cluster import AgglomerativeClustering, MiniBatchKMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits

MAX_CHARS = 1000  # the opening of a complaint says what it is about
MIN_THEME_SIZE = 3
MAX_SHARE = 0.3  # a word in more complaints than this says nothing about any of them
# A word or piece found in more than this share of one language's complaints is a formula
# ("Met vriendelijke groeten", "Je trouve cela inacceptable"), not a subject.
FORMULA_SHARE = 0.18
FORMULA_MIN_COMPLAINTS = 50
JOIN_SIMILARITY = 0.4  # clusters whose centres are this close are one theme
MEMBER_MIN_SIMILARITY = 0.6  # a complaint further from its theme's centre is in none
TEXT_MIN_SIMILARITY = 0.45  # the same, to the centre of its theme's full TF-IDF vectors
PROFILE_FEATURES = 150
KEYWORDS = 8
WORD_PATTERN = r"(?u)\b[^\W\d_]{3,}\b"  # words of three letters or more, no numbers


def word_counter() -> CountVectorizer:
    """Words and word pairs, lower case, accents stripped (so "intégration" meets
    "integration")."""
    return CountVectorizer(
        lowercase=True,
        strip_accents="unicode",
        token_pattern=WORD_PATTERN,
        ngram_range=(1, 2),
        dtype=np.float32,
    )


def char_counter() -> CountVectorizer:
    """Four-letter pieces of each word, padded at its edges ("rollstuhl" and
    "rollstuhlfahrer" share " rol", "roll", ...)."""
    return CountVectorizer(
        analyzer="char_wb", ngram_range=(4, 4), lowercase=False, dtype=np.float32
    )


@dataclass
class Cluster:
    members: list[int]  # indexes into the texts
    similarities: list[float]
    keywords: list[str]
    profile: dict[str, list[float]] = field(default_factory=dict)


def cluster_texts(texts: list[str], languages: list[str], seed: int = 0) -> list[Cluster]:
    """The themes among ``texts`` (each written in the language at the same index): clusters of
    at least ``MIN_THEME_SIZE`` texts, largest first. Texts in no cluster are in no theme."""
    if len(texts) < MIN_THEME_SIZE:
        return []
    # One thread: the worker shares the machine with the web server; more threads than cores
    # made k-means twenty times slower on a busy machine.
    with threadpool_limits(limits=1):
        return _cluster_texts(texts, languages, seed)


def _cluster_texts(texts: list[str], languages: list[str], seed: int) -> list[Cluster]:
    features = _features([text[:MAX_CHARS] for text in texts], languages)
    if features is None:
        return []
    matrix, names, idf, word_count = features
    reduced = _reduce(matrix, seed)
    # A text with no feature kept (symbols, emoji, words no other text has) is a zero row: it
    # is set aside, never clustered (a cluster of zero rows has a zero centre, which cosine
    # linkage refuses, and one such cluster stopped the whole run).
    labels = np.full(reduced.shape[0], -1)
    usable = np.flatnonzero(np.linalg.norm(reduced, axis=1) > 1e-6)
    if len(usable) < MIN_THEME_SIZE:
        return []
    labels[usable] = _cluster(reduced[usable], seed)
    clusters = []
    for label in np.unique(labels[labels >= 0]):
        index = np.flatnonzero(labels == label)
        centre = normalize(reduced[index].mean(axis=0, keepdims=True))[0]
        similarity = reduced[index] @ centre
        index = index[similarity >= MEMBER_MIN_SIMILARITY]
        if len(index) < MIN_THEME_SIZE:
            continue
        # The reduced space flatters short texts that share one word; the full one does not.
        centroid = np.asarray(matrix[index].mean(axis=0)).ravel()
        similarity = matrix[index] @ (centroid / np.linalg.norm(centroid))
        index, similarity = (
            index[similarity >= TEXT_MIN_SIMILARITY],
            similarity[similarity >= TEXT_MIN_SIMILARITY],
        )
        if len(index) < MIN_THEME_SIZE:
            continue
        centroid = np.asarray(matrix[index].mean(axis=0)).ravel()
        top = np.argsort(centroid)[::-1][:PROFILE_FEATURES]
        top = top[centroid[top] > 0]
        word_top = np.argsort(centroid[:word_count])[::-1][:KEYWORDS]
        clusters.append(
            Cluster(
                members=index.tolist(),
                similarities=[round(float(s), 4) for s in similarity],
                keywords=[str(names[i])[2:] for i in word_top if centroid[i] > 0],
                profile={
                    str(names[i]): [round(float(centroid[i]), 5), round(float(idf[i]), 4)]
                    for i in top
                },
            )
        )
    return sorted(clusters, key=lambda c: len(c.members), reverse=True)


Features = tuple[sparse.csr_matrix, np.ndarray, np.ndarray, int]


def _features(texts: list[str], languages: list[str]) -> Features | None:
    """The TF-IDF matrix (words and pairs, then four-letter pieces; each part divided by its
    length over all the text's features, rare ones included), the kept features' names ("w:..."
    and "c:..."), their idf and the number of word features. The pieces are cut once per
    distinct word, not once per text, and summed through the word counts."""
    count = len(texts)
    counts = word_counter()
    try:
        words = counts.fit_transform(texts).tocsc()
    except ValueError:  # no word at all
        return None
    vocabulary = counts.get_feature_names_out()
    single = np.array([" " not in word for word in vocabulary])
    pieces = char_counter()
    try:
        word_pieces = pieces.fit_transform(vocabulary[single])
    except ValueError:
        return None
    chars = (words[:, np.flatnonzero(single)] @ word_pieces).tocsc()
    min_df = 2 if count >= 20 else 1
    blocks, names, idfs = [], [], []
    for prefix, block, block_names in (
        ("w:", words, vocabulary),
        ("c:", chars, pieces.get_feature_names_out()),
    ):
        df = np.diff(block.indptr)
        block = block.tocsr()
        block.data = 1 + np.log(block.data)  # sublinear term frequency
        idf = (np.log((1 + count) / (1 + df)) + 1).astype(np.float32)
        block = block @ sparse.diags(idf)
        # Lengths over every feature, the rare ones included: a complaint's own words make it
        # less like the others even though no other complaint shares them.
        lengths = np.sqrt(np.asarray(block.multiply(block).sum(axis=1)).ravel())
        keep = np.flatnonzero(
            (df >= min_df) & (df <= MAX_SHARE * count) & _not_formulas(block, languages)
        )
        scale = sparse.diags(1 / np.maximum(lengths, 1e-9) / math.sqrt(2))
        blocks.append((scale @ block[:, keep]).tocsr())
        names.append(np.array([prefix + name for name in block_names[keep]]))
        idfs.append(idf[keep])
    if blocks[0].shape[1] == 0:  # no word occurs twice: nothing recurs
        return None
    matrix = sparse.hstack(blocks).tocsr()
    return matrix, np.concatenate(names), np.concatenate(idfs), blocks[0].shape[1]


def _not_formulas(matrix: sparse.csr_matrix, languages: list[str]) -> np.ndarray:
    """True per feature, False for the formulas of any language."""
    keep = np.ones(matrix.shape[1], dtype=bool)
    by_language = np.array(languages)
    for language in set(languages):
        rows = np.flatnonzero(by_language == language)
        if len(rows) < FORMULA_MIN_COMPLAINTS:
            continue
        share = np.asarray((matrix[rows] > 0).sum(axis=0)).ravel() / len(rows)
        keep[share > FORMULA_SHARE] = False
    return keep


def _reduce(matrix: sparse.csr_matrix, seed: int) -> np.ndarray:
    components = min(80, matrix.shape[1] - 1, matrix.shape[0] - 1)
    if components < 2:
        dense = matrix.toarray()
    else:
        svd = TruncatedSVD(
            n_components=components, algorithm="randomized", n_iter=3, random_state=seed
        )
        dense = svd.fit_transform(matrix).astype(np.float32)
    reduced: np.ndarray = normalize(dense)
    return reduced


def _cluster(reduced: np.ndarray, seed: int) -> np.ndarray:
    """Labels per text: k-means with many small clusters, then clusters with close centres
    joined (average linkage on the centres)."""
    count = reduced.shape[0]
    k = max(2, min(400, count // 8, int(math.sqrt(count) * 2)))
    kmeans = MiniBatchKMeans(
        n_clusters=k, batch_size=4096, n_init=1, max_iter=15, random_state=seed
    ).fit(reduced)
    centres = normalize(kmeans.cluster_centers_)
    # A centre of opposite texts can still cancel out: give it a direction of its own.
    centres[np.linalg.norm(centres, axis=1) < 1e-6, 0] = 1.0
    join = AgglomerativeClustering(
        n_clusters=None,
        metric="cosine",
        linkage="average",
        distance_threshold=1 - JOIN_SIMILARITY,
    ).fit(centres)
    labels: np.ndarray = join.labels_[kmeans.labels_]
    return labels


def text_features(text: str) -> dict[str, float]:
    """The sublinear term frequencies of ``text``, under the names ``_features`` gives."""
    words = word_counter().build_analyzer()(text[:MAX_CHARS])
    pieces = char_counter().build_analyzer()
    counts: dict[str, int] = {}
    for word in words:
        counts["w:" + word] = counts.get("w:" + word, 0) + 1
        if " " not in word:
            for piece in pieces(word):
                counts["c:" + piece] = counts.get("c:" + piece, 0) + 1
    return {key: 1 + math.log(n) for key, n in counts.items()}


def profile_similarity(profile: dict[str, list[float]], text: str) -> float:
    """How close ``text`` is to a theme's profile, without the fitted vocabulary: the text's
    TF-IDF weights (idf as stored in the profile, the profile's highest for other features)
    against the profile, as a cosine in [0, 1]."""
    features = text_features(text)
    if not features or not profile:
        return 0.0
    unknown_idf = max(idf for _, idf in profile.values())
    weights = {
        key: tf * (profile[key][1] if key in profile else unknown_idf)
        for key, tf in features.items()
    }
    text_norm = math.sqrt(sum(w * w for w in weights.values()))
    profile_norm = math.sqrt(sum(w * w for w, _ in profile.values()))
    dot = sum(weights[key] * weight for key, (weight, _) in profile.items() if key in weights)
    return dot / (text_norm * profile_norm) if text_norm and profile_norm else 0.0
