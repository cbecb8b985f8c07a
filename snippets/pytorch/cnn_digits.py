# /// script
# requires-python = ">=3.11"
# dependencies = ["torch==2.14.1", "scikit-learn>=1.5", "numpy>=2"]
#
# [tool.kb]
# title = "Un petit réseau convolutif PyTorch sur les chiffres 8×8"
# illustrates = ["Présentation de PyTorch", "Réseau de neurones convolutif (CNN)", "Vision par ordinateur"]
# device = "cpu"
# timeout = 120
# env = { OMP_NUM_THREADS = "2" }
# ///
"""Deux couches ``nn.Conv2d`` suivies d'un classifieur linéaire, sur des images 1×8×8.

Les vecteurs de 64 pixels de scikit-learn sont remis en forme d'image
(lot, canal, hauteur, largeur) pour que les convolutions exploitent la
structure spatiale. Le script affiche la forme des activations après chaque
étage, le nombre de paramètres (comparé à un réseau dense de taille voisine)
et la précision sur le jeu de test.
"""

import random

import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

# --- Reproductibilité et threads --------------------------------------------------
random.seed(0)
np.random.seed(0)
torch.manual_seed(0)
torch.use_deterministic_algorithms(True)
torch.set_num_threads(1)  # petit modèle : plusieurs threads se gêneraient plus qu'ils n'aident

# --- Données : vecteurs de 64 pixels → images 1×8×8 --------------------------------
chiffres = load_digits()
X = (chiffres.data / 16.0).astype("float32").reshape(-1, 1, 8, 8)  # (N, C, H, W)
y = chiffres.target
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
X_train, X_test = torch.from_numpy(X_train), torch.from_numpy(X_test)
y_train, y_test = torch.from_numpy(y_train), torch.from_numpy(y_test)
print(f"Tenseur d'entraînement : {tuple(X_train.shape)} (lot, canal, hauteur, largeur)")

chargeur = DataLoader(
    TensorDataset(X_train, y_train),
    batch_size=64,
    shuffle=True,
    generator=torch.Generator().manual_seed(0),
)


# --- Modèle ------------------------------------------------------------------------
class PetitCNN(nn.Module):
    """conv 3×3 (16) → pool → conv 3×3 (32) → pool → linéaire → 10 logits."""

    def __init__(self) -> None:
        super().__init__()
        self.extracteur = nn.Sequential(
            nn.Conv2d(1, 16, kernel_size=3, padding=1),  # 8×8 conservé grâce au padding
            nn.ReLU(),
            nn.MaxPool2d(2),  # 8×8 → 4×4
            nn.Conv2d(16, 32, kernel_size=3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),  # 4×4 → 2×2
        )
        self.tete = nn.Sequential(nn.Flatten(), nn.Linear(32 * 2 * 2, 10))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.tete(self.extracteur(x))


modele = PetitCNN()

# Parcours des étages sur un lot factice pour voir comment la forme évolue.
with torch.no_grad():
    a = torch.zeros(1, 1, 8, 8)
    for couche in modele.extracteur:
        a = couche(a)
        print(f"  après {couche.__class__.__name__:<9s} : {tuple(a.shape)}")

n_params = sum(p.numel() for p in modele.parameters())
n_conv = sum(p.numel() for p in modele.extracteur.parameters())
print(f"Paramètres du CNN : {n_params} (dont {n_conv} dans les convolutions)")
# À titre de comparaison, une seule couche dense 64 → 128 en compte déjà 64·128 + 128.
print(f"Une couche dense 64→128 seule : {64 * 128 + 128} paramètres")

critere = nn.CrossEntropyLoss()
optimiseur = torch.optim.Adam(modele.parameters(), lr=3e-3)

# --- Entraînement ---------------------------------------------------------------------
for epoque in range(15):
    modele.train()
    cumul = 0.0
    for xb, yb in chargeur:
        optimiseur.zero_grad()
        perte = critere(modele(xb), yb)
        perte.backward()
        optimiseur.step()
        cumul += perte.item() * len(xb)
    if epoque % 5 == 4:
        modele.eval()
        with torch.no_grad():
            prec = (modele(X_test).argmax(dim=1) == y_test).float().mean().item()
        print(f"époque {epoque + 1:2d} : perte train={cumul / len(X_train):.4f} précision test={prec:.4f}")

# --- Évaluation ----------------------------------------------------------------------
modele.eval()
with torch.no_grad():
    predictions = modele(X_test).argmax(dim=1)
erreurs = (predictions != y_test).nonzero().flatten()
print(f"Images mal classées : {len(erreurs)} sur {len(y_test)}")
precision = (predictions == y_test).float().mean().item()
assert precision >= 0.90, f"précision trop faible : {precision:.4f}"
print(f"Précision de test du CNN : {precision:.4f}")
