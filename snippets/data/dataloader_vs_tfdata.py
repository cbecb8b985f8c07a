# /// script
# requires-python = ">=3.11"
# dependencies = ["torch==2.14.1", "tensorflow==2.21.0", "grain>=0.2.12", "scikit-learn>=1.5", "numpy>=2", "matplotlib>=3.8"]
#
# [tool.kb]
# title = "Même pipeline, trois chargeurs : DataLoader PyTorch, tf.data et Grain, débit mesuré"
# illustrates = ["Chargement des données : DataLoader, tf.data et Grain", "Présentation de PyTorch", "TensorFlow pour l'apprentissage profond", "Grain"]
# device = "cpu"
# timeout = 240
# env = { OMP_NUM_THREADS = "2", TF_NUM_INTEROP_THREADS = "2", TF_NUM_INTRAOP_THREADS = "2", JAX_PLATFORMS = "cpu" }
# ///
"""Mélanger, augmenter (décalage aléatoire + bruit), mettre en lots : le même travail avec trois outils.

* ``torch.utils.data.DataLoader`` : un ``Dataset`` Python appelé exemple par
  exemple, éventuellement dans des processus auxiliaires (``num_workers``) ;
* ``tf.data`` : un graphe d'opérations TensorFlow exécuté en C++ ; ``map``
  en parallèle (``AUTOTUNE``), ou mieux, *vectorisé* (``batch`` puis ``map``
  sur le lot entier), et ``prefetch`` qui prépare le lot suivant pendant le
  calcul ;
* Grain : la chaîne ``MapDataset`` de l'écosystème JAX, ici dans le processus
  principal.

On vérifie que chaque chargeur livre bien tous les exemples, une fois par
époque, puis on compare les débits (exemples par seconde). Les chiffres
dépendent de la machine et de sa charge : seul leur ordre de grandeur compte.
Sur deux cœurs, des processus auxiliaires ne peuvent pas rapporter beaucoup
pour un traitement aussi léger ; le gain net vient de la vectorisation.
"""

import time

import grain
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
import torch
from sklearn.datasets import load_digits
from torch.utils.data import DataLoader, Dataset

X, y = load_digits(return_X_y=True)
X = np.tile((X / 16.0).astype(np.float32).reshape(-1, 8, 8), (5, 1, 1))  # 8 985 images 8×8
y = np.tile(y, 5).astype(np.int64)
N, LOT = len(X), 128
print(f"Exemples par époque : {N}, lots de {LOT}")


def augmenter_np(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Décalage circulaire aléatoire de −1 à 1 pixel dans chaque direction, plus un bruit gaussien."""
    dx, dy = rng.integers(-1, 2, size=2)
    return np.roll(image, (dx, dy), axis=(0, 1)) + rng.normal(0, 0.05, image.shape).astype(np.float32)


# --- PyTorch -----------------------------------------------------------------------------------------
class Chiffres(Dataset):
    def __init__(self) -> None:
        self.rng = np.random.default_rng(0)

    def __len__(self) -> int:
        return N

    def __getitem__(self, i: int):
        return augmenter_np(X[i], self.rng), y[i]


def init_processus(_: int) -> None:
    info = torch.utils.data.get_worker_info()
    info.dataset.rng = np.random.default_rng(torch.initial_seed() % 2**32)


def torch_chargeur(workers: int):
    return DataLoader(Chiffres(), batch_size=LOT, shuffle=True, num_workers=workers, worker_init_fn=init_processus if workers else None,
                      persistent_workers=workers > 0, generator=torch.Generator().manual_seed(0))


# --- tf.data -----------------------------------------------------------------------------------------
def augmenter_tf(images: tf.Tensor, graine: tf.Tensor) -> tf.Tensor:
    """Même augmentation, en opérations TensorFlow, pour un exemple (8, 8) ou un lot (n, 8, 8)."""
    graines = tf.random.experimental.stateless_split(graine, 3)
    decal = tf.random.stateless_uniform([2], graines[0], minval=-1, maxval=2, dtype=tf.int32)
    images = tf.roll(images, shift=decal, axis=[-2, -1])
    return images + tf.random.stateless_normal(tf.shape(images), graines[1], stddev=0.05)


def tf_exemple_par_exemple() -> tf.data.Dataset:
    ds = tf.data.Dataset.from_tensor_slices((X, y)).shuffle(N, seed=0)
    ds = tf.data.Dataset.zip(ds, tf.data.Dataset.random(seed=0).batch(2))  # une graine (2 entiers) par exemple
    ds = ds.map(lambda e, g: (augmenter_tf(e[0], g), e[1]), num_parallel_calls=tf.data.AUTOTUNE)
    return ds.batch(LOT).prefetch(tf.data.AUTOTUNE)


def tf_vectorise() -> tf.data.Dataset:
    # batch avant map : une seule exécution de la fonction par lot (le décalage est alors commun au lot).
    ds = tf.data.Dataset.from_tensor_slices((X, y)).shuffle(N, seed=0).batch(LOT)
    ds = tf.data.Dataset.zip(ds, tf.data.Dataset.random(seed=0).batch(2))
    ds = ds.map(lambda e, g: (augmenter_tf(e[0], g), e[1]), num_parallel_calls=tf.data.AUTOTUNE)
    return ds.prefetch(tf.data.AUTOTUNE)


# --- Grain -----------------------------------------------------------------------------------------------
def grain_chargeur():
    ds = grain.MapDataset.source(list(zip(X, y, strict=True))).shuffle(seed=0)
    ds = ds.random_map(lambda e, rng: (augmenter_np(e[0], rng), e[1]), seed=0).batch(LOT)
    return ds.to_iter_dataset()


def mesurer(nom: str, fabrique, epoques: int = 2) -> float:
    """Itère ``epoques`` fois (la première inclut la mise en route) ; renvoie le débit de la dernière."""
    chargeur = fabrique()
    for _ in range(epoques):
        vus, etiquettes = 0, []
        debut = time.perf_counter()
        for images, labels in chargeur:
            assert tuple(images.shape[1:]) == (8, 8), nom
            vus += len(labels)
            etiquettes.append(np.asarray(labels))
        duree = time.perf_counter() - debut
        # Chaque époque livre chaque exemple exactement une fois (comptage des étiquettes).
        assert vus == N and np.array_equal(np.bincount(np.concatenate(etiquettes)), np.bincount(y)), nom
    debit = N / duree
    print(f"{nom:34s} : {debit:9.0f} exemples/s")
    return debit


debits = {
    "DataLoader, 0 processus auxiliaire": mesurer("DataLoader, 0 processus auxiliaire", lambda: torch_chargeur(0)),
    "DataLoader, 2 processus auxiliaires": mesurer("DataLoader, 2 processus auxiliaires", lambda: torch_chargeur(2)),
    "tf.data, map par exemple": mesurer("tf.data, map par exemple", tf_exemple_par_exemple),
    "tf.data, map vectorisé": mesurer("tf.data, map vectorisé", tf_vectorise),
    "Grain, processus principal": mesurer("Grain, processus principal", grain_chargeur),
}
plus_rapide = max(debits, key=debits.get)
print(f"Le plus rapide ici : {plus_rapide}")

plt.figure(figsize=(7, 3.8))
plt.barh(list(debits), list(debits.values()), color="tab:blue")
plt.xscale("log")
plt.xlabel("exemples par seconde (échelle log)")
plt.title("Débit d'un même pipeline (2 cœurs CPU)")
plt.tight_layout()
plt.savefig("debits_chargeurs.png", dpi=100)
print("Figure enregistrée : debits_chargeurs.png")
