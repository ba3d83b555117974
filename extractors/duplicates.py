"""Exact and near-duplicate articles: the same story filed twice counts once as a source.

Near duplicates are found with MinHash signatures of word shingles and locality-sensitive
hashing (datasketch), so the cost grows linearly with the number of articles instead of
comparing every pair. Everything is seeded: the same articles in the same order always give
the same answer.

What counts as a near duplicate: two bodies whose sets of word 3-grams (case and punctuation
ignored) have a Jaccard similarity of at least `NEAR_DUPLICATE_THRESHOLD` — a republished
wire story with a changed headline, extra site furniture or a few edited words. Two outlets'
own write-ups of the same event share far fewer 3-grams and are separate sources; so is an
excerpt of a longer article (its shingle set is much smaller than the original's).
"""

from __future__ import annotations

import functools
import hashlib
import re
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from extractors.schema import Article

NEAR_DUPLICATE_THRESHOLD = 0.8
SHINGLE_WORDS = 3
# Bodies shorter than this many words are compared exactly only: a few shared words between
# two one-line briefs say nothing about copying.
MIN_WORDS_FOR_NEAR = 25
NUM_PERM = 128
SEED = 20231106
# LSH finds candidates below the acceptance threshold so that few true pairs are missed;
# each candidate is then checked against the threshold with the signatures.
_LSH_THRESHOLD = 0.6
# Shingles hashed per numpy batch: bounds the (NUM_PERM x batch) temporary on long bodies.
_BATCH = 8192
_WORD = re.compile(r"\w+")
# Characters of body case-folded and split into words at a time.
_CHUNK_CHARS = 1 << 20
# Odd multipliers that make the shingle hash depend on word order.
_MIX = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F))


@dataclass(frozen=True)
class DuplicateMatch:
    """A later article that repeats an earlier one."""

    original: str  # doc_id of the first article of the group, in input order
    similarity: float  # estimated Jaccard similarity of the word 3-gram sets; 1.0 for exact copies
    exact: bool  # the bodies are identical

    @property
    def reason(self) -> str:
        if self.exact:
            return f"duplicate of {self.original}"
        return f"near-duplicate of {self.original} ({self.similarity:.0%} of text shared)"


def find_duplicates(articles: Sequence[Article]) -> dict[str, str]:
    """{doc_id of a duplicate: doc_id of its original}; originals are the first of their group in input order."""
    return {doc_id: match.original for doc_id, match in duplicate_matches(articles).items()}


def duplicate_matches(articles: Sequence[Article],
                      threshold: float = NEAR_DUPLICATE_THRESHOLD) -> dict[str, DuplicateMatch]:
    """Every article that repeats an earlier one, with the original and how similar they are.

    Each duplicate points at an original (never at another duplicate). An article is compared
    with the originals before it, so the first article of every group is kept.
    """
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    lsh = MinHashLSH(num_perm=NUM_PERM, params=_lsh_bands(min(_LSH_THRESHOLD, threshold)))
    signatures: dict[str, LeanMinHash] = {}
    first_by_digest: dict[str, str] = {}
    matches: dict[str, DuplicateMatch] = {}
    order: dict[str, int] = {}
    for index, article in enumerate(articles):
        if article.doc_id in order:
            raise ValueError(f"doc_id {article.doc_id!r} occurs twice")
        order[article.doc_id] = index
        digest = hashlib.sha256(article.body.encode("utf-8", "surrogatepass")).hexdigest()
        original = first_by_digest.get(digest)
        if original is not None:
            matches[article.doc_id] = DuplicateMatch(original=original, similarity=1.0, exact=True)
            continue
        first_by_digest[digest] = article.doc_id
        signature = _signature(article.body)
        if signature is None:
            continue
        best: tuple[float, int, str] | None = None
        for candidate in lsh.query(signature):
            similarity = signature.jaccard(signatures[candidate])
            # Highest similarity wins; ties go to the earlier article, so the result is order-stable.
            if similarity >= threshold and (best is None or (similarity, -order[candidate]) > best[:2]):
                best = (similarity, -order[candidate], candidate)
        if best is not None:
            matches[article.doc_id] = DuplicateMatch(original=best[2], similarity=round(best[0], 3), exact=False)
            continue
        signatures[article.doc_id] = signature
        lsh.insert(article.doc_id, signature)
    return matches


@functools.lru_cache(maxsize=8)
def _lsh_bands(threshold: float) -> tuple[int, int]:
    """(bands, rows) for the threshold; datasketch finds them by numerical integration, so once."""
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    return lsh.b, lsh.r


@functools.lru_cache(maxsize=1)
def _empty_minhash() -> MinHash:
    # Drawing the permutations is the costly part of a new MinHash; copies share them.
    return MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=int)


def _shingle_hashes(body: str) -> Iterator[np.ndarray]:
    """32-bit hashes of the body's case-folded word 3-grams, a chunk of the body at a time.

    Words are hashed once each (crc32: stable across processes, unlike `hash`) and combined
    into shingle hashes with numpy, so a 10 MB body costs seconds and a few MB of memory.
    """
    carry = np.empty(0, dtype=np.uint64)
    start = 0
    while start < len(body):
        end = min(start + _CHUNK_CHARS, len(body))
        if end < len(body):
            space = body.rfind(" ", start, end)
            end = space + 1 if space > start else end
        words = _WORD.findall(body[start:end].casefold())
        start = end
        hashes = np.fromiter((zlib.crc32(w.encode("utf-8", "surrogatepass")) for w in words),
                             dtype=np.uint64, count=len(words))
        window = np.concatenate([carry, hashes])
        if len(window) >= SHINGLE_WORDS:
            mixed = window[:-2] * _MIX[0] + window[1:-1] * _MIX[1] + window[2:]
            yield (mixed ^ (mixed >> np.uint64(32))) & np.uint64(0xFFFFFFFF)
        carry = window[-(SHINGLE_WORDS - 1):]


def _signature(body: str) -> LeanMinHash | None:
    """The MinHash of the body's shingles, or None when the body is too short to compare."""
    minhash = _empty_minhash().copy()
    count = 0
    for hashes in _shingle_hashes(body):
        count += len(hashes)
        for offset in range(0, len(hashes), _BATCH):
            minhash.update_batch(hashes[offset:offset + _BATCH].tolist())
    if count + SHINGLE_WORDS - 1 < MIN_WORDS_FOR_NEAR:
        return None
    return LeanMinHash(minhash)
