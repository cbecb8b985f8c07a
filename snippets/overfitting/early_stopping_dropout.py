# /// script
# requires-python = ">=3.11"
# dependencies = ["torch==2.14.1", "scikit-learn>=1.5", "matplotlib>=3.8", "numpy>=2"]
#
# [tool.kb]
# title = "Dropout et arrêt précoce contre le surapprentissage"
# illustrates = ["Surapprentissage", "Dropout", "Arrêt précoce", "Régularisation", "Présentation de PyTorch"]
# device = "cpu"
# timeout = 180
# env = { OMP_NUM_THREADS = "2" }
# ///
"""Un MLP trop grand pour ses données, avec et sans régularisation.

On garde 300 images de digits pour l'entraînement, dont environ 20 % reçoivent
une étiquette tirée au hasard : un réseau large finit par les apprendre par
cœur, et sa perte de validation remonte. Le même réseau avec Dropout, surveillé
par arrêt précoce (on garde les poids de la meilleure époque de validation),
obtient une meilleure perte de validation.
"""

import copy
import random

import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from torch import nn

random.seed(0)
np.random.seed(0)
torch.manual_seed(0)
torch.use_deterministic_algorithms(True)
# Petits produits matriciels : répartir chaque opération sur plusieurs threads coûte plus
# qu'il ne rapporte, surtout quand d'autres processus occupent déjà les cœurs.
torch.set_num_threads(1)
rng = np.random.default_rng(0)

# --- Données : petit sous-ensemble, étiquettes d'entraînement bruitées ------------
X, y = load_digits(return_X_y=True)
X_train, X_val, y_train, y_val = train_test_split(X, y, train_size=300, test_size=600, random_state=0, stratify=y)
bruitees = rng.random(len(y_train)) < 0.2
y_train = y_train.copy()
y_train[bruitees] = rng.integers(0, 10, bruitees.sum())  # une étiquette au hasard (parfois la bonne)
print(f"Entraînement : {len(y_train)} exemples, {bruitees.sum()} étiquettes tirées au hasard ; validation : {len(y_val)}")
scaler = StandardScaler().fit(X_train)
X_train = torch.tensor(scaler.transform(X_train), dtype=torch.float32)
X_val = torch.tensor(scaler.transform(X_val), dtype=torch.float32)
y_train, y_val = torch.tensor(y_train), torch.tensor(y_val)


def cree_mlp(p_dropout: float) -> nn.Module:
    """Réseau volontairement surdimensionné (environ 83 000 paramètres pour 300 exemples)."""
    return nn.Sequential(
        nn.Linear(64, 256),
        nn.ReLU(),
        nn.Dropout(p_dropout),  # p = 0 : couche sans effet
        nn.Linear(256, 256),
        nn.ReLU(),
        nn.Dropout(p_dropout),
        nn.Linear(256, 10),
    )


def entraine(modele: nn.Module, epoques: int, patience: int | None) -> dict:
    """Entraîne par mini-lots ; avec une patience, s'arrête quand la validation ne progresse plus."""
    torch.manual_seed(1)  # ordre des mini-lots (et masques de Dropout) reproductible
    optimiseur = torch.optim.Adam(modele.parameters(), lr=1e-3)
    critere = nn.CrossEntropyLoss()
    historique = {"train": [], "val": []}
    meilleure, meilleure_epoque, meilleurs_poids = float("inf"), 0, None
    for epoque in range(epoques):
        modele.train()  # active le Dropout
        for lot in torch.randperm(len(X_train)).split(32):
            optimiseur.zero_grad()
            critere(modele(X_train[lot]), y_train[lot]).backward()
            optimiseur.step()
        modele.eval()  # désactive le Dropout pour mesurer
        with torch.no_grad():
            historique["train"].append(critere(modele(X_train), y_train).item())
            historique["val"].append(critere(modele(X_val), y_val).item())
        if historique["val"][-1] < meilleure:
            meilleure, meilleure_epoque = historique["val"][-1], epoque
            meilleurs_poids = copy.deepcopy(modele.state_dict())
        elif patience is not None and epoque - meilleure_epoque >= patience:
            break  # arrêt précoce
    if patience is not None:
        modele.load_state_dict(meilleurs_poids)  # on revient à la meilleure époque
    historique["epoque_retenue"] = meilleure_epoque if patience is not None else len(historique["val"]) - 1
    return historique


def precision(modele: nn.Module, X: torch.Tensor, y: torch.Tensor) -> float:
    modele.eval()
    with torch.no_grad():
        return (modele(X).argmax(dim=1) == y).float().mean().item()


torch.manual_seed(0)
sans_regularisation = cree_mlp(p_dropout=0.0)
torch.manual_seed(0)
regularise = cree_mlp(p_dropout=0.5)  # mêmes poids initiaux : seul le Dropout diffère

histo_libre = entraine(sans_regularisation, epoques=100, patience=None)
histo_reg = entraine(regularise, epoques=100, patience=15)

resultats = {}
for nom, modele, histo in [
    ("sans régularisation", sans_regularisation, histo_libre),
    ("dropout + arrêt précoce", regularise, histo_reg),
]:
    e = histo["epoque_retenue"]
    resultats[nom] = histo["val"][e]
    print(f"\n{nom} :")
    print(f"  époques effectuées : {len(histo['val'])}, poids retenus : époque {e + 1}")
    print(f"  perte train = {histo['train'][e]:.4f}, perte validation = {histo['val'][e]:.4f}")
    print(f"  précision train (étiquettes bruitées) = {precision(modele, X_train, y_train):.4f}")
    print(f"  précision validation                  = {precision(modele, X_val, y_val):.4f}")
print(f"\nPerte de validation minimale du réseau libre (époque {int(np.argmin(histo_libre['val'])) + 1}) : {min(histo_libre['val']):.4f}")
assert resultats["dropout + arrêt précoce"] < resultats["sans régularisation"]

# --- Figure ---------------------------------------------------------------------
fig, ax = plt.subplots(figsize=(7, 4))
for nom, histo, couleur in [("sans régularisation", histo_libre, "C3"), ("dropout + arrêt précoce", histo_reg, "C0")]:
    epoques = np.arange(1, len(histo["val"]) + 1)
    ax.plot(epoques, histo["train"], color=couleur, ls="--", label=f"{nom}, entraînement")
    ax.plot(epoques, histo["val"], color=couleur, label=f"{nom}, validation")
ax.axvline(histo_reg["epoque_retenue"] + 1, color="C0", ls=":", lw=1, label="époque retenue (arrêt précoce)")
ax.set_xlabel("époque")
ax.set_ylabel("entropie croisée")
ax.set_yscale("log")
ax.legend(fontsize=8)
ax.set_title("Surapprentissage sur 300 exemples bruités")
fig.tight_layout()
fig.savefig("dropout_arret_precoce.png", dpi=100)
print("Figure enregistrée : dropout_arret_precoce.png")
