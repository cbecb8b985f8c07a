"""Final test accuracy across variants, told in test images rather than decimals: « 0,922 against
0,925 » reads like noise or like a real gap until one says it is 332 against 333 images out of 360."""

from __future__ import annotations

from dataclasses import dataclass

from .aggregate import Summary
from .markdown import num
from .names import INDEX_TITLE

# Why variants that start from the same weights and see the same batches can still end apart: the
# optimiser is not the same formula everywhere. Checked in the installed sources: keras/src/optimizers/
# adam.py divides by sqrt(v) + ε and folds the bias correction into the step size; torch/optim/adam.py
# (and optax.scale_by_adam, and benchmarks/frameworks/fw_numpy.py) divide by sqrt(v̂) + ε, v̂ corrected.
ADAM_EXPLANATION = (
    "toutes les variantes partent des mêmes poids et voient les mêmes lots, mais l'Adam de Keras, qu'emploient aussi "
    "les variantes TensorFlow, n'ajoute pas ε au même endroit que PyTorch, optax et la version NumPy (voir les "
    f"[[{INDEX_TITLE}#Contrôles|contrôles du protocole]]) : les trajectoires s'écartent lentement et quelques images de test peuvent changer de classe"
)


@dataclass(frozen=True, slots=True)
class AccuracyGroup:
    """Variants of one task that ended on the same accuracy (median over repetitions)."""

    accuracy: float
    variants: tuple[str, ...]
    correct: int | None  # test images correctly classified, when the number of test images is known


def accuracy_groups(rows: list[Summary], test_samples: int | None) -> list[AccuracyGroup]:
    """The successful variants of one task grouped by accuracy, lowest first, variants in table order.

    ``test_samples`` (the size of the test set, ``None`` if the result file does not record it) turns
    each accuracy into a count of images: ``round(accuracy × test_samples)``, exact because the
    accuracy is itself a count divided by ``test_samples`` (stored to six decimals)."""
    by_accuracy: dict[float, list[str]] = {}
    for row in rows:
        if row.ok and row.accuracy is not None:
            by_accuracy.setdefault(round(row.accuracy, 6), []).append(row.variant)
    return [AccuracyGroup(acc, tuple(variants), round(acc * test_samples) if test_samples else None)
            for acc, variants in sorted(by_accuracy.items())]


def size_of_test_set(runs: list[dict], task: str) -> int | None:
    """Number of test images of a task, as recorded by its runs (``None`` if absent or inconsistent)."""
    sizes = {r.get("test_samples") for r in runs if r["task"] == task and r.get("ok")}
    return sizes.pop() if len(sizes) == 1 and None not in sizes else None


def accuracy_key_point(rows_by_task: dict[str, list[Summary]], runs: list[dict]) -> str:
    """The « Précision » key point of a device page: the reason for any gap, then each task's gap in images."""
    same, details = [], []
    for task, rows in rows_by_task.items():
        size = size_of_test_set(runs, task)
        groups = accuracy_groups(rows, size)
        if len(groups) < 2:
            if groups:
                same.append(f"`{task}`")
            continue
        parts = []
        for g in groups:
            count = f" ({g.correct} images sur {size})" if g.correct is not None else ""
            parts.append(f"{num(g.accuracy)}{count} pour " + ", ".join(f"`{v}`" for v in g.variants))
        gap = ""
        if size:
            images = groups[-1].correct - groups[0].correct
            gap = f" — {images} image{'s' if images > 1 else ''} d'écart sur {size}"
        details.append(f"Sur `{task}`, " + " ; ".join(parts) + gap)
    text = f"- **Précision** : {ADAM_EXPLANATION}."
    if details:
        text += " " + " ; ".join(details) + "."
    if same:
        text += f" Même précision dans toutes les variantes sur {', '.join(same)}."
    return text
