"""Generate a synthetic vault of N notes with realistic relation counts (for benchmarks).

Shape, per note on average: one isPartOf parent (a tree under a few hubs), a subClassOf for a
third of them, two seeAlso, a differentFrom for one in ten, one source, three body mentions,
three tags from a pool of 60, one alias. Deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

WORDS = (
    "réseau tenseur gradient couche modèle entraînement inférence graphe noyau optimiseur perte "
    "lot époque poids biais activation convolution attention séquence donnée mémoire calcul "
    "compilation exportation déploiement précision mélange distribution vision langage"
).split()
TYPES = ["concept"] * 6 + ["framework", "library", "library", "tool", "tool", "hardware", "guide"]


def _title(i: int, rng: random.Random) -> str:
    return f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} {i}"


def _parent(i: int, hubs: int, sources: int, rng: random.Random) -> int | None:
    """Three root hubs; other hubs under an earlier hub; sources under hub 0; notes under an
    earlier note (a tree) or, for a third of them, directly under a hub."""
    if i < 3:
        return None
    if i < hubs:
        return rng.randrange(i)
    if i < hubs + sources:
        return 0
    first = hubs + sources
    if i == first or rng.random() < 0.33:
        return rng.randrange(hubs)
    return rng.randrange(first, i)


def generate_vault(root: Path, n: int, seed: int = 0) -> list[str]:
    """Write ``n`` notes under ``root`` (folders of 100); returns their titles."""
    rng = random.Random(seed)
    hubs = max(3, n // 50)
    sources = max(2, n // 20)
    titles = [_title(i, rng) for i in range(n)]
    tags = [f"Étiquette {k}" for k in range(60)]
    root.mkdir(parents=True, exist_ok=True)
    for i, title in enumerate(titles):
        is_hub, is_source = i < hubs, hubs <= i < hubs + sources
        kind = "hub" if is_hub else "source" if is_source else rng.choice(TYPES)
        lines = ["---", f"title: {title}", f"type: {kind}", f"aliases:\n- Alias {i}", "tags:"]
        lines += [f"- {t}" for t in rng.sample(tags, 3)]
        lines += ["date_creation: '2025-01-01'", f"date_modification: '2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}'"]
        parent = _parent(i, hubs, sources, rng)
        if parent is not None:
            lines.append(f"isPartOf: '[[{titles[parent]}]]'")
        if not (is_hub or is_source):
            if i > hubs + sources + 1 and rng.random() < 0.33:
                lines.append(f"subClassOf: '[[{titles[rng.randrange(hubs + sources, i)]}]]'")
            peers = {rng.randrange(n) for _ in range(2)} - {i}
            lines.append("seeAlso:")
            lines += [f"- '[[{titles[p]}]]'" for p in sorted(peers)]
            if rng.random() < 0.1:
                other = rng.randrange(n)
                if other != i:
                    lines.append(f"differentFrom: '[[{titles[other]}]]'")
            lines.append(f"sources: '[[{titles[hubs + rng.randrange(sources)]}]]'")
        if is_source:
            lines += ["author: Auteur Synthétique", f"url: https://example.org/source/{i}", "language: fr"]
        lines.append("---")
        mentions = [titles[rng.randrange(n)] for _ in range(3)]
        body = (
            f"## Généralité\n\n{title} est une note générée. Elle cite [[{mentions[0]}]] et [[{mentions[1]}|un autre sujet]].\n\n"
            f"## Détails\n\n" + " ".join(rng.choices(WORDS, k=120)) + f"\n\nVoir aussi [[{mentions[2]}]].\n"
        )
        folder = root / f"lot-{i // 100:03d}"
        folder.mkdir(exist_ok=True)
        (folder / f"note-{i:05d}.md").write_text("\n".join(lines) + "\n" + body, encoding="utf-8")
    return titles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("root", type=Path)
    parser.add_argument("-n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    generate_vault(args.root, args.n, args.seed)
    print(f"{args.n} notes written under {args.root}")


if __name__ == "__main__":
    main()
