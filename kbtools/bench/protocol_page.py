"""The protocol page, ``docs/benchmarks/index.md``: what is measured, how, the controls, what the
numbers do and do not say, and the list of device pages."""

from __future__ import annotations

from ..ids import RelPath
from .markdown import GENERATED, GPU_PENDING, SEE_ALSO, SOURCES, frontmatter, table
from .names import INDEX_TITLE, PAGES_DIR, PARENT_TITLE, device_page_title, short_device_name
from .results import ResultFile

PROTOCOL_DATE = "2026-11-23"  # when the protocol was written: the page's date when no result exists yet

VARIANT_DOCS: dict[str, str] = {
    "numpy": "propagation avant, rétropropagation et Adam écrits à la main (perceptron seulement) : le plancher sans framework",
    "torch-eager": "modules `torch.nn`, `loss.backward()`, `torch.optim.Adam` ; inférence sous `torch.inference_mode()`",
    "torch-compile": "les mêmes modules passés à `torch.compile` (TorchDynamo + Inductor, code C++ généré sur CPU) ; "
                     "la perte et l'optimiseur restent hors du graphe compilé ; sur le GRU, TorchDynamo ne capture pas `nn.GRU` "
                     "(réglage par défaut `allow_rnn=False`) et le modèle tourne en fait en exécution immédiate",
    "tf-eager": "boucle écrite à la main avec `tf.GradientTape`, sans `tf.function` : chaque opération est exécutée immédiatement",
    "tf-function": "la même boucle, le pas d'entraînement et l'inférence dans `tf.function` (graphe TensorFlow)",
    "tf-xla": "la même boucle sous `tf.function(jit_compile=True)` : le graphe est compilé par XLA",
    "keras-torch": "modèle Keras 3 `Sequential`, `compile` puis `train_on_batch` / `predict_on_batch`, moteur PyTorch (exécution immédiate)",
    "keras-tensorflow": "le même code Keras sur le moteur TensorFlow (`jit_compile=\"auto\"` : XLA par défaut)",
    "keras-jax": "le même code Keras sur le moteur JAX (pas d'entraînement compilé par `jax.jit`)",
    "jax-jit": "fonctions pures sur un dictionnaire de paramètres ; pas complet (gradient et mise à jour optax) sous un seul `jax.jit`",
}

TASK_ROWS = [
    ["`mlp`", "perceptron 64 → 128 → 10 (ReLU), 9 610 paramètres",
     "chiffres manuscrits de scikit-learn (8 × 8 pixels), 1 437 exemples d'entraînement, 360 de test"],
    ["`cnn`", "deux convolutions 3 × 3 (8 puis 16 filtres, ReLU, max-pooling 2 × 2) et une couche dense, 3 818 paramètres",
     "les mêmes chiffres agrandis en 16 × 16 (plus proche voisin)"],
    ["`gru`", "une couche GRU de 32 unités et une couche dense, 3 714 paramètres",
     "2 048 séquences générées de 20 pas × 4 variables gaussiennes (512 de test) ; classe : signe de la somme"],
]

MEASURE_ROWS = [
    ["Import", "durée de `import torch` (ou `tensorflow` et `keras`, `keras`, `jax` et `optax`, `numpy`) dans un interpréteur neuf qui n'a rien chargé d'autre"],
    ["Premier pas", "durée du premier pas d'entraînement, traçage et compilation compris ; rapportée à part, jamais mêlée à la médiane"],
    ["Pas médian ± IQR", "chaque pas est chronométré seul jusqu'à ce que la perte soit lue comme nombre Python, ce qui force la fin du calcul "
     "(GPU asynchrone, répartition asynchrone de JAX) ; pas de préchauffage exclus ; médiane et écart interquartile de tous les pas de toutes les répétitions"],
    ["Échantillons/s", "taille du lot divisée par le pas médian"],
    ["Latence lot 1 / lot 256", "médiane d'appels d'inférence sur des entrées déjà converties en tenseurs du framework, résultat relu en tableau NumPy, "
     "après quelques appels de préchauffage (chaque nouvelle forme se compile)"],
    ["Mémoire", "pic de mémoire résidente (RSS) du processus sur CPU, import du framework compris ; sur GPU, pic de mémoire de l'appareil lu par "
     "le framework (`torch.cuda.max_memory_allocated`, `tf.config.experimental.get_memory_info`, `memory_stats()` de JAX)"],
    ["Précision", "part des exemples de test bien classés après le nombre d'époques fixé : la même partout, à un ou deux exemples près, "
     "si les variantes apprennent bien la même chose"],
]

BODY = """
## Généralité

Cette page décrit le protocole exécutable qui applique la méthode de [[{parent}]] : les mêmes tâches, écrites de façon idiomatique dans chaque framework, entraînées sur les mêmes données à partir des mêmes poids initiaux, et mesurées chacune dans un processus neuf. Le code est dans `benchmarks/frameworks/` (un module par framework et un pilote), les résultats bruts dans `benchmarks/results/`, un fichier JSON par machine ; les pages de résultats sont régénérées à partir de ces fichiers par `kb bench report`.

## Points clés

- **Trois tâches, dix variantes** : [[Présentation de PyTorch|PyTorch]] en exécution immédiate et avec [[TorchDynamo et torch.compile|torch.compile]], [[TensorFlow pour l'apprentissage profond|TensorFlow]] en exécution immédiate, en `tf.function` et avec [[XLA]], [[Présentation de Keras|Keras 3]] sur ses trois moteurs, [[JAX]] avec `jit` et optax, et [[La bibliothèque NumPy|NumPy]] comme plancher pour le perceptron.
- **Mêmes conditions** : mêmes données, mêmes poids initiaux (un seul tirage, copié partout), même optimiseur Adam, même taille de lot (64), même nombre de pas, même nombre de threads.
- **Sept mesures** : import, premier pas, pas d'entraînement en régime établi (médiane et écart interquartile), débit, latence d'inférence pour des lots de 1 et de 256, mémoire maximale, précision finale.
- **Hygiène** : un processus neuf par mesure, ordre des variantes tiré au sort à chaque répétition avec une graine enregistrée, préchauffage exclu, environnement et charge de la machine consignés.
- **Portée limitée** : de très petits modèles sur un petit processeur, où le coût propre de chaque framework domine ; ces chiffres ne disent rien de l'entraînement de grands modèles sur [[GPU]].

## Détails

### Tâches

{tasks}

### Variantes

{variants}

### Mesures

{measures}

### Contrôles

- **Poids initiaux** : tirés une seule fois en NumPy (Glorot uniforme pour tous les noyaux, y compris le noyau récurrent du GRU, biais nuls, graine fixe) puis copiés dans chaque framework avec la conversion de disposition nécessaire (noyaux transposés pour PyTorch, portes du GRU réordonnées, aplatissement dans l'ordre hauteur, largeur, canaux). La première perte est identique dans toutes les variantes.
- **Données** : les mêmes tableaux pour tous, le même ordre des lots (une permutation par époque, tirée avec la graine) ; le dernier lot incomplet est écarté pour garder une forme fixe, sans quoi les variantes compilées recompileraient.
- **Optimiseur** : Adam, taux 10⁻³, ε fixé explicitement (10⁻⁷) ; Keras applique ε après la correction de biais, PyTorch, optax et la version NumPy avant : les trajectoires s'écartent lentement (à la sixième décimale de la perte après quelques pas), et la précision finale peut différer d'un exemple de test entre ces deux familles.
- **Threads** : le même nombre pour tous (2 par défaut), par `OMP_NUM_THREADS`, `MKL_NUM_THREADS`, `OPENBLAS_NUM_THREADS`, `torch.set_num_threads` et `set_num_interop_threads`, `tf.config.threading` (intra et inter) ; le processus est épinglé sur autant de cœurs (`sched_setaffinity`), ce qui borne aussi le pool de threads de XLA pour JAX.
- **Processus** : chaque mesure (tâche × variante × répétition) tourne dans un processus neuf ; l'ordre est tiré au sort à chaque répétition ; le ramasse-miettes de Python est suspendu pendant les mesures.
- **Caches de compilation** : chaque exécution de `torch.compile` part d'un cache Inductor vide, pour que le premier pas mesure une compilation à froid ; TensorFlow, XLA et JAX ne gardent rien d'une exécution à l'autre.
- **Environnement** : modèle de processeur, cœurs, mémoire, système, Python, version de chaque bibliothèque, GPU et pilote s'il y en a, et charge moyenne de la machine au début et à la fin de chaque mesure.

### Ce que ces chiffres disent, et ce qu'ils ne disent pas

- Les modèles sont minuscules (moins de 10 000 paramètres) : un pas ne coûte que quelques millions d'opérations, si bien que le temps mesuré est surtout celui du framework lui-même (appels Python, répartition des opérations, gestion des tenseurs). C'est ce qui compte pour de petits modèles et pour l'inférence lot par lot, non pour l'entraînement de grands modèles, où les noyaux de calcul dominent et où les écarts se resserrent.
- Un processeur à deux cœurs n'est pas un [[GPU]] : sur GPU, les gains de la [[Compilation JIT|compilation]] viennent surtout de la fusion des noyaux et de la réduction des accès mémoire, qui pèsent tout autrement ici.
- La machine de mesure peut être partagée : la charge moyenne est consignée à chaque mesure, ainsi que le temps processeur réellement obtenu. Quand d'autres processus occupent les cœurs, un framework dont les threads OpenMP se synchronisent à chaque opération (PyTorch) ralentit bien plus qu'un framework dont le pool de threads se répartit le travail (XLA, Eigen) ; une dispersion élevée signale ces mesures.
- Keras passe par `train_on_batch` et `predict_on_batch` : la mécanique de `fit` et de `predict` sans leur pipeline de données. Sur les moteurs TensorFlow et JAX, Keras compile avec XLA par défaut ; sur PyTorch, il reste en [[Exécution eager|exécution immédiate]].
- La latence compte la relecture du résultat en NumPy, pas la conversion de l'entrée ; un service réel paierait aussi la seconde.
- Un écart inférieur à la dispersion mesurée n'est pas une différence, et un classement sur une machine ne se transpose pas à une autre.

## Résultats par machine

{devices}

{gpu}

## Reproduire

```bash
make bench                     # protocole complet sur cette machine, puis ces pages
kb bench run --tiny            # quelques secondes par variante : vérifier que tout tourne
kb bench run --tasks mlp --variants torch-eager jax-jit --repeats 5
kb bench report                # régénérer ces pages à partir de benchmarks/results/
```

## Pour aller plus loin

- [[{parent}]] — la méthode que ce protocole applique.
- [[Compilation JIT]] — pourquoi le premier pas est rapporté à part.
- [[TorchDynamo et torch.compile]] et [[XLA]] — les deux compilateurs mesurés ici.
"""


def _device_line(result: ResultFile) -> str:
    doc = result.doc
    title = device_page_title({**doc["device"], "name": short_device_name(doc["device"]["name"])})
    return (f"- [[{title}]] — mesuré le {doc['measured_on']}, {doc['config']['repeats']} répétition(s), "
            f"{doc['config']['threads']} threads, {len(doc['runs'])} mesures.")


def index_page(results: list[ResultFile]) -> tuple[RelPath, str]:
    dates = sorted(r.doc["measured_on"] for r in results)
    ordered = sorted(results, key=lambda r: r.slug)
    devices = "\n".join(_device_line(r) for r in ordered) or "Aucun résultat publié pour l'instant."
    has_gpu = any(r.doc["device"]["kind"] == "gpu" for r in results)
    head = frontmatter({
        "title": INDEX_TITLE,
        "type": "guide",
        "aliases": ["Benchmarks des frameworks"],
        "tags": ["Performance", "Benchmark", "Méthodologie", "Reproductibilité"],
        "date_creation": min([PROTOCOL_DATE, *dates]),
        "date_modification": max([PROTOCOL_DATE, *dates]),
        "description": "Protocole exécutable qui compare PyTorch, TensorFlow, Keras 3, JAX et NumPy sur les mêmes tâches : "
                       "mesures, contrôles, limites, et résultats par machine.",
        "isPartOf": f"[[{PARENT_TITLE}]]",
        "seeAlso": SEE_ALSO,
        "sources": SOURCES,
    })
    body = BODY.format(
        parent=PARENT_TITLE,
        tasks="\n".join(table(["Tâche", "Modèle", "Données"], TASK_ROWS, "lll")),
        variants="\n".join(table(["Variante", "Ce qui tourne"], [[f"`{k}`", v] for k, v in VARIANT_DOCS.items()], "ll")),
        measures="\n".join(table(["Mesure", "Définition"], MEASURE_ROWS, "ll")),
        devices=devices,
        gpu="" if has_gpu else GPU_PENDING,
    )
    return RelPath(f"{PAGES_DIR}/index.md"), head + GENERATED + "\n" + body
