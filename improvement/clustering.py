"""Grouping complaints by meaning, offline: their sentence vectors (``improvement.embedding``,
one space for nl, fr, de and en), each language's mean taken away (what every complaint of a
language shares, its formulas and its language itself, says nothing about its subject), then
clustered by mini-batch k-means with more clusters than themes; clusters whose centres are
close are joined, and vectors far from their centre stay outside any theme. Characteristic
words per language come from the texts, without the language's function words (the
``stopwordsiso`` lists). Pure: no database here. Worker only (NumPy, scikit-learn)."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import numpy as np
from sklearn.cluster import AgglomerativeClustering, MiniBatchKMeans
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits

from complaints.folding import fold

if TYPE_CHECKING:
    from numpy.typing import NDArray

MIN_THEME_SIZE = 3
CORE_SAMPLE = 2000
# A language's mean is taken away once it has this many complaints (fewer: too noisy a mean).
CENTRE_MIN_COMPLAINTS = 20
# A complaint is in a theme only when it has MIN_THEME_SIZE - 1 others this close: measured
# on the planted test set, the third nearest of a planted complaint is 0.62 or more (5th
# percentile), of an unrelated one 0.49 or less (95th).
CORE_SIMILARITY = 0.55
# Clusters whose centres are this close are one theme. On the planted test set the centres of
# one subject in two languages are 0.34-0.79 apart, except Dutch "leefloon" (a Belgian word
# the encoder knows less well), 0.23-0.35 from the others; different subjects 0.15 or less.
JOIN_SIMILARITY = 0.25
MEMBER_MIN_SIMILARITY = 0.4  # a complaint further from its theme's centre is in none
KEYWORDS = 6  # characteristic words per language
KEYWORD_CHARS = 1000  # words are taken from the opening of the text, as the vector is
WORD = re.compile(r"[^\W\d_]{3,}")  # three letters or more, no digits


@dataclass
class Cluster:
    members: list[int]  # indexes into the vectors
    similarities: list[float]
    centre: NDArray[np.float32]  # unit, in the centred space (each language's mean away)
    words: dict[str, list[str]]  # characteristic words per language
    means: dict[str, list[float]]  # the languages' means the centre was measured against
    # The centre of its complaints in each language it has MIN_THEME_SIZE of (centred space):
    # a new complaint is nearer to those of its own language than to the mixed centre.
    language_centres: dict[str, list[float]]

    @property
    def keywords(self) -> list[str]:
        """The characteristic words of all languages, the most frequent language first."""
        ordered = sorted(self.words.items(), key=lambda item: -len(item[1]))
        return [word for _, words in ordered for word in words[:3]]


def language_means(vectors: NDArray[np.float32], languages: list[str]) -> dict[str, list[float]]:
    """Each language's mean vector, for the languages with enough complaints to have one."""
    by_language = np.array(languages)
    means = {}
    for language in sorted(set(languages)):
        rows = np.flatnonzero(by_language == language)
        if len(rows) >= CENTRE_MIN_COMPLAINTS:
            means[language] = [round(float(x), 6) for x in vectors[rows].mean(axis=0)]
    return means


def centred(
    vectors: NDArray[np.float32], languages: list[str], means: dict[str, list[float]]
) -> NDArray[np.float32]:
    """The vectors less their language's mean, of unit length again (a row that was nothing but
    its language's mean becomes zero)."""
    out = np.array(vectors, dtype=np.float32, copy=True)
    by_language = np.array(languages)
    for language, mean in means.items():
        out[by_language == language] -= np.asarray(mean, dtype=np.float32)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    result: NDArray[np.float32] = np.where(norms > 1e-6, out / np.maximum(norms, 1e-6), 0.0)
    return result.astype(np.float32)


def cluster_vectors(
    vectors: NDArray[np.float32], languages: list[str], texts: list[str], seed: int = 0
) -> list[Cluster]:
    """The themes among the complaints whose unit ``vectors`` (one row each, a zero row for a
    text set aside), ``languages`` and ``texts`` are given at the same index: clusters of at
    least ``MIN_THEME_SIZE``, largest first. A zero or non-finite row is in no theme."""
    count = len(languages)
    if count < MIN_THEME_SIZE:
        return []
    # One thread: the worker shares the machine with the web server; more threads than cores
    # made k-means twenty times slower on a busy machine.
    with threadpool_limits(limits=1):
        vectors = np.nan_to_num(np.asarray(vectors, dtype=np.float32), nan=0.0, posinf=0.0)
        means = language_means(vectors, languages)
        space = centred(vectors, languages, means)
        usable = np.flatnonzero(np.linalg.norm(space, axis=1) > 1e-6)
        if len(usable) < MIN_THEME_SIZE:
            return []
        labels = np.full(count, -1)
        labels[usable] = _cluster(space[usable], seed)
        clusters = []
        for label in np.unique(labels[labels >= 0]):
            index = np.flatnonzero(labels == label)
            centre = normalize(space[index].mean(axis=0, keepdims=True))[0]
            similarity = space[index] @ centre
            keep = similarity >= MEMBER_MIN_SIMILARITY
            index, similarity = index[keep], similarity[keep]
            if len(index) < MIN_THEME_SIZE:
                continue
            clusters.append(
                Cluster(
                    members=index.tolist(),
                    similarities=[round(float(s), 4) for s in similarity],
                    centre=centre.astype(np.float32),
                    words={},
                    means=means,
                    language_centres=_language_centres(space[index], [languages[i] for i in index]),
                )
            )
        _characteristic_words(clusters, languages, texts)
    return sorted(clusters, key=lambda c: len(c.members), reverse=True)


def _language_centres(space: NDArray[np.float32], languages: list[str]) -> dict[str, list[float]]:
    by_language = np.array(languages)
    out = {}
    for language in sorted(set(languages)):
        rows = np.flatnonzero(by_language == language)
        if len(rows) >= MIN_THEME_SIZE:
            centre = space[rows].mean(axis=0)
            centre /= max(float(np.linalg.norm(centre)), 1e-6)
            out[language] = [round(float(x), 5) for x in centre]
    return out


def _cluster(space: NDArray[np.float32], seed: int) -> NDArray[np.int64]:
    """Labels per row (-1: in no theme). K-means with many small clusters; within each, a row
    whose ``MIN_THEME_SIZE - 1``-th nearest neighbour is less than ``CORE_SIMILARITY`` away is
    alone in the data (a complaint about its own matter) and left out; then the clusters'
    centres, of the rows kept, are joined when close (average linkage)."""
    count = space.shape[0]
    k = max(2, min(400, count // 8, int(math.sqrt(count) * 2)))
    if count <= k:
        k = 1
    kmeans = MiniBatchKMeans(
        n_clusters=k, batch_size=4096, n_init=1, max_iter=15, random_state=seed
    ).fit(space)
    coarse = kmeans.labels_
    rng = np.random.default_rng(seed)
    labels = np.full(count, -1, dtype=np.int64)
    centres: list[NDArray[np.float32]] = []
    for label in range(k):
        index = np.flatnonzero(coarse == label)
        if len(index) < MIN_THEME_SIZE:
            continue
        # Against at most CORE_SAMPLE of the cluster's rows: a big cluster costs no more.
        others = index if len(index) <= CORE_SAMPLE else rng.choice(index, CORE_SAMPLE, False)
        similarity = space[index] @ space[others].T
        similarity[np.equal.outer(index, others)] = -1.0
        nth = np.partition(similarity, -(MIN_THEME_SIZE - 1), axis=1)[:, -(MIN_THEME_SIZE - 1)]
        core = index[nth >= CORE_SIMILARITY]
        if len(core) < MIN_THEME_SIZE:
            continue
        labels[core] = len(centres)
        centres.append(space[core].mean(axis=0))
    if not centres:
        return labels
    if len(centres) == 1:
        return labels
    joined = normalize(np.array(centres))
    # A centre of opposite rows can cancel out; cosine linkage refuses a zero vector.
    joined[np.linalg.norm(joined, axis=1) < 1e-6, 0] = 1.0
    join = AgglomerativeClustering(
        n_clusters=None,
        metric="cosine",
        linkage="average",
        distance_threshold=1 - JOIN_SIMILARITY,
    ).fit(joined)
    inside = labels >= 0
    labels[inside] = join.labels_[labels[inside]]
    return labels


@cache
def stop_words(language: str) -> frozenset[str]:
    """The function words of ``language`` (the ``stopwordsiso`` list, maintained upstream),
    accents stripped as the words are compared."""
    import stopwordsiso

    if not stopwordsiso.has_lang(language):
        return frozenset()
    return frozenset(fold(word) for word in stopwordsiso.stopwords(language))


def text_words(text: str, language: str) -> set[str]:
    """The distinct words of the text's opening, folded, its language's function words out."""
    return set(WORD.findall(fold(text[:KEYWORD_CHARS]))) - stop_words(language)


def _characteristic_words(clusters: list[Cluster], languages: list[str], texts: list[str]) -> None:
    """Per cluster and language, the words most particular to the cluster: the share of its
    complaints in that language that use the word, weighted by how rare the word is among all
    complaints of that language (a formula every complaint ends on scores nothing)."""
    if not clusters:
        return
    wanted = {index for cluster in clusters for index in cluster.members}
    per_text: dict[int, set[str]] = {}
    document_frequency: dict[str, Counter[str]] = {}
    totals: Counter[str] = Counter()
    for index, (text, language) in enumerate(zip(texts, languages, strict=True)):
        words = text_words(text, language)
        document_frequency.setdefault(language, Counter()).update(words)
        totals[language] += 1
        if index in wanted:
            per_text[index] = words
    for cluster in clusters:
        by_language: dict[str, list[int]] = {}
        for index in cluster.members:
            by_language.setdefault(languages[index], []).append(index)
        for language, indexes in sorted(by_language.items()):
            counts: Counter[str] = Counter()
            for index in indexes:
                counts.update(per_text[index])
            frequency = document_frequency[language]
            scored = [
                (share / len(indexes) * math.log(totals[language] / frequency[word]), word)
                for word, share in counts.items()
                if share >= max(2, len(indexes) // 4) or len(indexes) < 4
            ]
            scored.sort(key=lambda pair: (-pair[0], pair[1]))
            cluster.words[language] = [word for score, word in scored[:KEYWORDS] if score > 0]
