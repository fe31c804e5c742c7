"""How long does moderation.evaluate() take on a 2,000-character post with 200 watched words?

Prints the median time per call for posts drawn from a shared vocabulary (the
usual case: most words in a post have been seen before, so their readings and
trie walks are cached) and for posts made only of words never seen before.
Run: .venv/bin/python bench/moderation_engine.py [--calls N]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from moderation import (
    AuthorHistory,
    AuthorStanding,
    ContentKind,
    PastPost,
    Policy,
    Role,
    Submission,
    TermAction,
    WatchedTerm,
    WatchList,
    evaluate,
)

SYLLABLES = (
    "ba be bi bo bu da de di do du ka ke ki ko ku la le li lo lu ma me mi mo mu "
    "na ne ni no nu ra re ri ro ru sa se si so su ta te ti to tu wy dd ll ch"
).split()
EXTRAS = ["café", "Llanelli", "ŵyr", "naïve", "A55", "CF10", "2025", "👍", "don't", "e.g.", "https://example.org/x"]


def word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4)))


def watchlist(rng: random.Random) -> WatchList:
    terms = {word(rng) + word(rng) for _ in range(400)}
    chosen = sorted(terms)[:180]
    phrases = [f"{word(rng)} {word(rng)}" for _ in range(15)]
    prefixes = [f"{word(rng)}{word(rng)}*" for _ in range(5)]
    actions = list(TermAction)
    return WatchList(tuple(WatchedTerm(t, actions[i % 3]) for i, t in enumerate(chosen + phrases + prefixes)))


def post(rng: random.Random, vocabulary: list[str], size: int = 2000) -> str:
    words: list[str] = []
    while sum(len(w) + 1 for w in words) < size:
        words.append(rng.choice(EXTRAS) if rng.random() < 0.03 else rng.choice(vocabulary))
        if rng.random() < 0.08:
            words[-1] += rng.choice(".,!?")
    return " ".join(words)[:size]


def measure(texts: list[str], policy: Policy) -> list[float]:
    now = datetime(2025, 3, 1, 12)
    author = AuthorStanding("1", Role.RESIDENT, now - timedelta(days=400), approved_posts=40)
    history = AuthorHistory(tuple(PastPost(now - timedelta(minutes=m), f"{m:032x}") for m in range(1, 30, 3)))
    times = []
    for text in texts:
        started = time.perf_counter()
        evaluate(Submission(ContentKind.REPLY, text), author, policy, history, now)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=300)
    args = parser.parse_args()
    rng = random.Random(20250301)
    policy = Policy(watchlist=watchlist(rng))
    vocabulary = [word(rng) for _ in range(3000)]
    familiar = [post(rng, vocabulary) for _ in range(args.calls)]
    novel = [post(rng, [word(rng) + word(rng) + "q" for _ in range(400)]) for _ in range(args.calls)]
    measure(familiar[:5], policy)  # compile the watch list once, as a long-running app would
    print(f"evaluate(): {len(policy.watchlist.terms)} terms, {len(familiar[0]):,}-character posts, {args.calls} calls")
    for label, texts in (("familiar words", familiar), ("only new words", novel)):
        times = measure(texts, policy)
        median = statistics.median(times) * 1000
        p95 = statistics.quantiles(times, n=20)[-1] * 1000
        print(f"  {label}: median {median:.2f} ms per call, p95 {p95:.2f} ms")


if __name__ == "__main__":
    main()
