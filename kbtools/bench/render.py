"""The generated pages of ``docs/benchmarks/``: one per device, with a table and a figure per task,
and the protocol page that lists them. Same result files in, same bytes out."""

from __future__ import annotations

from pathlib import Path

from ..atomic import write_atomic
from ..ids import RelPath
from .accuracy import accuracy_key_point
from .aggregate import Summary, summaries
from .markdown import GENERATED, GPU_PENDING, SEE_ALSO, SOURCES, frontmatter, num, table
from .names import FRAMEWORKS, INDEX_TITLE, KIND_NAMES, PAGES_DIR, device_page_path, device_page_title, short_device_name
from .plots import task_figure
from .protocol_page import index_page
from .results import ResultFile

FRAMEWORK_PACKAGES = ("torch", "tensorflow", "keras", "jax", "jaxlib", "optax", "numpy", "scikit-learn")


def _environment_rows(doc: dict) -> list[list[str]]:
    env, cfg = doc["environment"], doc["config"]
    rows = [
        ["Processeur", env.get("cpu_model", "?")],
        ["Cœurs (logiques / physiques)", f"{env.get('cores_logical')} / {env.get('cores_physical')}"],
        ["Mémoire vive", f"{num(env.get('ram_gb'))} Gio"],
        ["Système", f"`{env.get('os', '?')}`"],
        ["Python", env.get("python", "?")],
    ]
    rows += [[name, str(version)] for name, version in sorted(env.get("versions", {}).items()) if version]
    rows += [[f"GPU {i}", f"{g['name']} (pilote {g['driver']}, {g['memory']})"] for i, g in enumerate(env.get("gpus") or [])]
    rows += [
        ["Threads par framework", f"{cfg['threads']} (processus épinglé sur {cfg['threads']} cœurs)"],
        ["Lot, optimiseur", f"{cfg['batch_size']}, Adam (taux {_power(cfg.get('learning_rate'))}, ε {_power(cfg.get('adam_epsilon'))})"],
        ["Époques", ", ".join(f"{t} {n}" for t, n in sorted(cfg.get("epochs", {}).items()))],
        ["Pas de préchauffage exclus", str(cfg["warmup_steps"])],
        ["Répétitions", f"{cfg['repeats']}, ordre tiré au sort (graine {cfg.get('order_seed', 0)})"],
        ["Durée totale de la campagne", f"{num(doc['wall_s'] / 60)} min"],
    ]
    return rows


def _power(value: float | None) -> str:
    """0.001 → 10⁻³; anything that is not a power of ten keeps its plain French form."""
    if value is None:
        return "?"
    mantissa, exponent = f"{value:e}".split("e")
    if float(mantissa) == 1.0:
        return "10" + str(int(exponent)).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return num(value)


def _caption(doc: dict, task: str) -> str:
    """The environment in one line, beside each table, so that no number travels without it."""
    env, cfg = doc["environment"], doc["config"]
    versions = env.get("versions", {})
    libs = ", ".join(f"{p} {versions[p]}" for p in FRAMEWORK_PACKAGES if versions.get(p))
    runs = [r for r in doc["runs"] if r["task"] == task]
    loads = [x for r in runs for x in (r.get("load_1m_start"), r.get("load_1m_end")) if x is not None]
    load = f" ; charge moyenne (1 min) pendant les mesures : {num(min(loads))} à {num(max(loads))}" if loads else ""
    return (f"*Environnement : {short_device_name(env.get('cpu_model', '?'))}, {cfg['threads']} threads, "
            f"Python {env.get('python')}, {libs} ; {cfg['repeats']} répétition(s), mesuré le {doc['measured_on']}{load}.*")


def _best(rows: list[Summary], field: str) -> float | None:
    values = [getattr(r, field) for r in rows if r.ok and getattr(r, field) is not None]
    return min(values) if values else None


def _cell(row: Summary, field: str, best: float | None) -> str:
    value = getattr(row, field)
    text = num(value)
    return f"**{text}**" if value is not None and value == best else text


DISPERSION_LIMIT = 0.5  # IQR beyond half the median: the steps did not run in steady conditions
DISTURBED_NOTE = ("⚠ : écart interquartile supérieur à la moitié de la médiane ; les pas n'ont pas tourné dans des conditions "
                  "stables (machine partagée, threads en attente de cœurs) et cette médiane ne mesure pas le framework seul.")


def disturbed(row: Summary) -> bool:
    return row.ok and row.step_iqr_ms is not None and row.step_iqr_ms > DISPERSION_LIMIT * row.step_median_ms


def _load_warning(doc: dict) -> list[str]:
    """An admonition when other processes kept the machine busier than the threads the protocol uses."""
    loads = [x for r in doc["runs"] for x in (r.get("load_1m_start"), r.get("load_1m_end")) if x is not None]
    cores = doc["environment"].get("cores_logical") or doc["config"]["threads"]
    if not loads or max(loads) <= cores:
        return []
    return ['!!! warning "Machine partagée pendant les mesures"', "",
            f"    La charge moyenne sur une minute est montée jusqu'à {num(max(loads))} (médiane {num(sorted(loads)[len(loads) // 2])}) "
            f"pour {cores} cœurs : d'autres processus tournaient en même temps. Les temps de pas marqués ⚠ en portent la trace ; "
            "les variantes à dispersion faible restent comparables entre elles.", ""]


def _task_table(rows: list[Summary], memory_field: str) -> list[str]:
    best = {f: _best(rows, f) for f in ("step_median_ms", "latency_b1_ms", "latency_b256_ms")}
    body = []
    for r in rows:
        anchor = f'<span id="{r.task}-{r.variant}"></span>`{r.variant}`'
        name = FRAMEWORKS[r.framework].name if r.framework in FRAMEWORKS else r.framework
        if not r.ok:
            body.append([anchor, name, f"échec : {_escape(r.error[:80])}", *["—"] * 8])
            continue
        step = f"{_cell(r, 'step_median_ms', best['step_median_ms'])} ± {num(r.step_iqr_ms)}{' ⚠' if disturbed(r) else ''}"
        body.append([anchor, name, num(r.import_s), num(r.first_step_ms), step, num(r.samples_per_s),
                     _cell(r, "latency_b1_ms", best["latency_b1_ms"]), _cell(r, "latency_b256_ms", best["latency_b256_ms"]),
                     num(getattr(r, memory_field)), num(r.accuracy), num(r.cores_used, 2)])
    memory = "Mémoire GPU max (Mio)" if memory_field == "device_peak_mb" else "RSS max (Mio)"
    header = ["Variante", "Framework", "Import (s)", "1er pas (ms)", "Pas médian ± IQR (ms)", "Échantillons/s",
              "Latence lot 1 (ms)", "Latence lot 256 (ms)", memory, "Précision", "Cœurs occupés"]
    return table(header, body, "ll" + "r" * 9)


def _escape(text: str) -> str:
    """An error message inside a table cell: no pipe, no line break, no HTML."""
    return text.replace("|", "/").replace("\n", " ").replace("<", "‹").replace(">", "›")


def device_page(result: ResultFile) -> tuple[RelPath, str, dict[str, bytes]]:
    """Path, Markdown and figures (file name → PNG) of the page of one result file."""
    doc = result.doc
    device, cfg = doc["device"], doc["config"]
    kind = KIND_NAMES[device["kind"]]
    title = device_page_title({**device, "name": short_device_name(device["name"])})
    all_rows = summaries(doc)
    memory_field = "device_peak_mb" if device["kind"] == "gpu" else "peak_rss_mb"
    head = frontmatter({
        "title": title,
        "type": "guide",
        "tags": ["Performance", "Benchmark", kind],
        "date_creation": doc["measured_on"],
        "date_modification": doc["measured_on"],
        "description": f"Mesures du protocole de comparaison des frameworks sur {kind} ({short_device_name(device['name'])}) : "
                       "temps de pas, débit, latences d'inférence, mémoire et précision par tâche et par variante.",
        "isPartOf": f"[[{INDEX_TITLE}]]",
        "seeAlso": SEE_ALSO,
        "sources": SOURCES,
    })
    failed = sum(not r.ok for r in all_rows)
    lines = [GENERATED, "", "## Généralité", "",
             f"Résultats du [[{INDEX_TITLE}|protocole de comparaison]] sur un [[{kind}]] {short_device_name(device['name'])}, "
             f"mesurés le {doc['measured_on']} : {len(doc['runs'])} mesures en processus séparés, {cfg['repeats']} répétition(s), "
             f"{cfg['threads']} threads pour chaque framework. Données brutes : `benchmarks/results/{result.path.name}`."
             + (f" {failed} combinaison(s) tâche × variante ont échoué ; l'erreur figure dans leur ligne." if failed else ""),
             "", "## Points clés", "",
             "- **Pas médian ± IQR** : médiane et écart interquartile des pas d'entraînement en régime établi, toutes répétitions confondues ; "
             "le meilleur de chaque colonne de temps est en gras, mais un écart inférieur à la dispersion n'est pas une différence.",
             "- **1er pas** : traçage et compilation compris ; **import** : dans un interpréteur neuf.",
             "- **Cœurs occupés** : temps processeur du processus divisé par le temps écoulé pendant l'entraînement ; nettement sous "
             f"{cfg['threads']}, il signale une variante qui n'occupe pas tous ses threads ou une machine partagée qui ne les lui donne pas.",
             accuracy_key_point({t: [r for r in all_rows if r.task == t] for t in cfg["tasks"]}, doc["runs"]),
             f"- {GPU_PENDING}" if device["kind"] == "cpu" else "- Mémoire : pic de mémoire de l'appareil, lu par chaque framework.",
             "", "## Détails", "", *_load_warning(doc), "### Environnement", "", *table(["", "Valeur"], _environment_rows(doc), "ll"), ""]
    figures: dict[str, bytes] = {}
    for task in cfg["tasks"]:
        rows = [r for r in all_rows if r.task == task]
        if not rows:
            continue
        task_title = cfg.get("task_titles", {}).get(task, task)
        lines += [f"### Tâche `{task}` : {task_title}", "", *_task_table(rows, memory_field), ""]
        if any(disturbed(r) for r in rows):
            lines += [DISTURBED_NOTE, ""]
        lines += [_caption(doc, task), ""]
        if any(r.ok for r in rows):
            name = f"{device['slug']}-{task}.png"
            figures[name] = task_figure(f"{task} — {kind} {short_device_name(device['name'])}", rows)
            lines += [f"![Pas d'entraînement médian et latences d'inférence, tâche {task}](img/{name})", ""]
    lines += ["## Pour aller plus loin", "", f"- [[{INDEX_TITLE}]] — ce que ces chiffres disent et ne disent pas.",
              "- [[Comparer rigoureusement les performances des frameworks]] — la méthode."]
    return device_page_path(device["slug"]), head + "\n".join(lines) + "\n", figures


def render_all(results: list[ResultFile]) -> dict[str, bytes]:
    """Every generated file, by path relative to the vault."""
    out: dict[str, bytes] = {}
    for result in sorted(results, key=lambda r: r.slug):
        path, text, figures = device_page(result)
        out[path] = text.encode("utf-8")
        out.update({f"{PAGES_DIR}/img/{name}": png for name, png in figures.items()})
    index_path, index_text = index_page(results)
    out[index_path] = index_text.encode("utf-8")
    return dict(sorted(out.items()))


def write_pages(files: dict[str, bytes], vault: Path) -> list[Path]:
    """Write what changed, atomically; remove the generated files no result produces any more."""
    written = []
    for rel, data in files.items():
        path = vault / rel
        if not path.is_file() or path.read_bytes() != data:
            written.append(write_atomic(path, data))
    folder = vault / PAGES_DIR
    for stale in sorted([*folder.glob("*.md"), *folder.glob("img/*.png")]):
        rel = stale.relative_to(vault).as_posix()
        if rel not in files and (stale.suffix == ".png" or GENERATED in stale.read_text(encoding="utf-8")):
            stale.unlink()
    return written
