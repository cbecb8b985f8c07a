# /// script
# requires-python = ">=3.11"
# dependencies = ["torch==2.14.1", "numpy>=2", "scikit-learn>=1.5"]
#
# [tool.kb]
# title = "Reproductibilité : mêmes graines, mêmes nombres — et ce qui peut encore varier"
# illustrates = ["Reproductibilité des expériences", "Présentation de PyTorch", "La bibliothèque NumPy"]
# device = "cpu"
# timeout = 180
# env = { OMP_NUM_THREADS = "2" }
# ///
"""Ce qu'il faut fixer pour qu'un entraînement PyTorch redonne exactement les mêmes nombres.

1. Les graines de chaque générateur : ``random``, NumPy, PyTorch (une fonction
   ``fixer_graines`` les règle toutes).
2. Le générateur du ``DataLoader`` : il fixe l'ordre de mélange et la graine
   de base dont PyTorch dérive, dans chaque processus de chargement, celles de
   ``random``, de NumPy (générateur global) et de torch. Un générateur créé
   par le jeu de données lui-même (``np.random.default_rng``) serait copié à
   l'identique dans chaque processus : ``worker_init_fn`` le réinitialise.
3. Les options de déterminisme : ``torch.use_deterministic_algorithms(True)``
   (erreur si une opération n'a pas de version déterministe) et, sur GPU,
   ``torch.backends.cudnn.benchmark = False`` et la variable
   ``CUBLAS_WORKSPACE_CONFIG=:4096:8``.
4. ``PYTHONHASHSEED`` pour l'ordre d'itération des ensembles de chaînes.

On entraîne deux fois avec la graine 0 (poids identiques au bit près), une
fois avec la graine 1 (poids différents), puis on montre l'effet de
``PYTHONHASHSEED`` dans deux sous-processus.
"""

import os
import random
import subprocess
import sys

import numpy as np
import torch
from sklearn.datasets import load_digits
from torch import nn
from torch.utils.data import DataLoader, Dataset


def fixer_graines(graine: int) -> None:
    random.seed(graine)
    np.random.seed(graine)
    torch.manual_seed(graine)  # CPU et tous les GPU


def init_processus(worker_id: int) -> None:
    """Donne au générateur du jeu de données, dans ce processus, une graine propre et reproductible."""
    info = torch.utils.data.get_worker_info()
    # torch.initial_seed() vaut ici graine de base (tirée du générateur du DataLoader) + numéro du processus.
    info.dataset.rng = np.random.default_rng(torch.initial_seed() % 2**32)


class ChiffresBruites(Dataset):
    """digits avec un bruit tiré au chargement (donc dans les processus auxiliaires) par un générateur NumPy."""

    def __init__(self) -> None:
        X, y = load_digits(return_X_y=True)
        self.X, self.y = (X / 16.0).astype(np.float32), y
        self.rng = np.random.default_rng()  # graine imprévisible : remplacée dans chaque processus par init_processus

    def __len__(self) -> int:
        return len(self.y)

    def __getitem__(self, i: int):
        return self.X[i] + self.rng.normal(0, 0.1, 64).astype(np.float32), self.y[i]


def entrainer(graine: int) -> tuple[torch.Tensor, list[float]]:
    fixer_graines(graine)
    chargeur = DataLoader(
        ChiffresBruites(),
        batch_size=128,
        shuffle=True,
        num_workers=2,
        worker_init_fn=init_processus,
        generator=torch.Generator().manual_seed(graine),  # ordre des lots et graines des processus
    )
    modele = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Dropout(0.2), nn.Linear(64, 10))
    optimiseur = torch.optim.SGD(modele.parameters(), lr=0.1, momentum=0.9)
    pertes = []
    for _ in range(3):
        for xb, yb in chargeur:
            optimiseur.zero_grad()
            perte = nn.functional.cross_entropy(modele(xb), yb)
            perte.backward()
            optimiseur.step()
            pertes.append(perte.item())
    return torch.cat([p.detach().flatten() for p in modele.parameters()]), pertes


torch.use_deterministic_algorithms(True)
torch.backends.cudnn.benchmark = False  # sans effet sur CPU, indispensable sur GPU
print("Algorithmes déterministes exigés :", torch.are_deterministic_algorithms_enabled())
print("cuDNN benchmark :", torch.backends.cudnn.benchmark, "; CUBLAS_WORKSPACE_CONFIG :", os.environ.get("CUBLAS_WORKSPACE_CONFIG", "(non définie, inutile sur CPU)"))

poids_a, pertes_a = entrainer(0)
poids_b, pertes_b = entrainer(0)
poids_c, pertes_c = entrainer(1)
print(f"Graine 0, 1re exécution : perte finale {pertes_a[-1]:.6f}, somme des poids {poids_a.sum().item():.6f}")
print(f"Graine 0, 2e exécution  : perte finale {pertes_b[-1]:.6f}, somme des poids {poids_b.sum().item():.6f}")
print(f"Graine 1                : perte finale {pertes_c[-1]:.6f}, somme des poids {poids_c.sum().item():.6f}")
assert torch.equal(poids_a, poids_b) and pertes_a == pertes_b, "même graine : résultats identiques au bit près"
assert not torch.equal(poids_a, poids_c), "autre graine : autres résultats"
print("Même graine → poids identiques au bit près (torch.equal) ; autre graine → poids différents")

# --- PYTHONHASHSEED : l'ordre d'un ensemble de chaînes dépend de la graine de hachage ---------------------------
code = "print(list({'tenseur', 'gradient', 'perte', 'lot', 'époque', 'poids'}))"


def ordre_ensemble(graine_hachage: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": graine_hachage}
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout.strip()


meme = ordre_ensemble("0") == ordre_ensemble("0")
differents = len({ordre_ensemble(str(g)) for g in range(1, 6)})
print(f"PYTHONHASHSEED=0 deux fois : même ordre = {meme} ; graines 1 à 5 : {differents} ordres distincts")
assert meme and differents > 1
