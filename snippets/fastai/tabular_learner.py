# /// script
# requires-python = ">=3.11"
# dependencies = ["fastai>=2.8,<2.9", "torch==2.14.1", "scikit-learn>=1.5", "pandas>=2", "matplotlib>=3.8"]
#
# [tool.kb]
# title = "fastai : un Learner tabulaire, lr_find et taux d'apprentissage différentiels"
# illustrates = ["fastai", "API de haut niveau", "Taux d'apprentissage", "Taux d'apprentissage différentiels", "Présentation de PyTorch"]
# device = "cpu"
# timeout = 180
# ///
"""Classer des tumeurs (jeu « breast cancer » de scikit-learn) avec fastai.

1. Un ``DataFrame`` pandas est transformé en ``TabularDataLoaders`` : fastai
   normalise les 30 colonnes continues et crée les lots.
2. ``tabular_learner`` construit le réseau et le ``Learner``. On découpe ce
   réseau en trois groupes de paramètres (entrée, couche cachée, tête).
3. ``lr_find`` balaie les taux d'apprentissage sur quelques lots et propose
   une valeur ; sa courbe est enregistrée dans ``lr_find.png``.
4. ``fit_one_cycle`` entraîne avec ``lr_max=slice(bas, haut)`` : chaque
   groupe reçoit son propre taux maximal, du plus petit (premières couches)
   au plus grand (tête). Un petit callback relève les taux effectivement
   appliqués à chaque groupe.

Les barres de progression et le tableau de fastai (qui contient des durées)
sont coupés ; les métriques sont lues dans ``learn.recorder`` puis affichées.
"""

import matplotlib.pyplot as plt
import numpy as np
import torch
from fastai.tabular.all import (
    Callback,
    CategoryBlock,
    Normalize,
    TabularDataLoaders,
    accuracy,
    params,
    set_seed,
    tabular_learner,
)
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split

set_seed(0, reproducible=True)  # graines de Python, NumPy et PyTorch + cuDNN déterministe
torch.set_num_threads(1)  # petit modèle : un seul fil suffit et évite la concurrence

# --- DataFrame et DataLoaders --------------------------------------------------------------------
cancer = load_breast_cancer(as_frame=True)
df = cancer.frame.copy()
df["target"] = df["target"].map({0: "maligne", 1: "bénigne"})
colonnes = list(cancer.feature_names)
_, idx_valid = train_test_split(np.arange(len(df)), test_size=0.25, random_state=0, stratify=df["target"])

dls = TabularDataLoaders.from_df(
    df,
    procs=[Normalize],  # centrage-réduction calculé sur le seul jeu d'entraînement
    cont_names=colonnes,
    y_names="target",
    y_block=CategoryBlock(),
    valid_idx=list(idx_valid),
    bs=64,
    num_workers=0,
)
print("Exemples entraînement / validation :", len(dls.train_ds), "/", len(dls.valid_ds))
print("Classes :", list(dls.vocab))


# --- Learner découpé en groupes de paramètres ----------------------------------------------------
def decoupage(model):
    """Trois groupes : normalisation d'entrée + 1re couche, 2e couche, tête de classification."""
    return [
        params(model.bn_cont) + params(model.layers[0]),
        params(model.layers[1]),
        params(model.layers[2]),
    ]


learn = tabular_learner(dls, layers=[64, 32], metrics=accuracy, splitter=decoupage)

# --- Recherche du taux d'apprentissage ----------------------------------------------------------------
with learn.no_bar(), learn.no_logging():
    suggestion = learn.lr_find(num_it=60)  # trace aussi la courbe perte = f(taux)
plt.title("lr_find : perte selon le taux d'apprentissage")
plt.gcf().savefig("lr_find.png", dpi=100)
plt.close("all")
print(f"Taux suggéré par lr_find (vallée) : {suggestion.valley:.2e}")
print("Courbe enregistrée : lr_find.png")


# --- Taux d'apprentissage différentiels ----------------------------------------------------------------
class TauxParGroupe(Callback):
    """Retient le taux d'apprentissage maximal vu par chaque groupe pendant l'entraînement."""

    order = 60  # après le planificateur de one-cycle, qui fixe les taux avant chaque lot

    def before_fit(self):
        self.maxima = [0.0] * len(self.opt.param_groups)

    def before_batch(self):
        if self.training:
            self.maxima = [max(m, h["lr"]) for m, h in zip(self.maxima, self.opt.hypers, strict=True)]


taux = TauxParGroupe()
# slice(bas, haut) : taux répartis géométriquement entre les groupes (bas, √(bas·haut), haut).
bas, haut = 1e-3, 3e-2
with learn.no_bar(), learn.no_logging():
    learn.fit_one_cycle(6, lr_max=slice(bas, haut), cbs=taux)

print("\nGroupes de paramètres :", len(learn.opt.param_groups))
for i, lr in enumerate(taux.maxima):
    print(f"  groupe {i} : taux maximal appliqué {lr:.1e}")

# Recorder.values : une ligne par époque [perte d'entraînement (moyenne mobile lissée), perte de validation, accuracy].
print("\nÉpoque | perte entr. lissée | perte valid. | précision")
for epoque, (perte_train, perte_valid, precision) in enumerate(learn.recorder.values):
    print(f"{epoque:6d} | {perte_train:18.4f} | {perte_valid:12.4f} | {precision:.4f}")

with learn.no_bar():
    perte_valid, precision = learn.validate()
print(f"Précision finale sur la validation : {precision:.4f}")
assert precision >= 0.9, precision
