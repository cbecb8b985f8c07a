# /// script
# requires-python = ">=3.11"
# dependencies = ["torch==2.14.1", "scikit-learn>=1.5", "matplotlib>=3.8"]
#
# [tool.kb]
# title = "Un perceptron multicouche PyTorch sur digits"
# illustrates = ["Présentation de PyTorch", "Réseau de neurones", "Optimiseurs", "Descente de gradient", "scikit-learn"]
# device = "cpu"
# timeout = 120
# env = { OMP_NUM_THREADS = "2" }
# ///
"""Classifieur de chiffres manuscrits avec un nn.Module PyTorch.

Découpage et normalisation avec scikit-learn, DataLoader pour les mini-lots,
torch.optim.Adam pour l'optimisation ; affiche la précision de test et
enregistre la courbe de perte dans courbe_perte.png.
"""

import random

import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

# --- Reproductibilité -----------------------------------------------------------
random.seed(0)
np.random.seed(0)
torch.manual_seed(0)
torch.use_deterministic_algorithms(True)

# --- Données ------------------------------------------------------------------
X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
scaler = StandardScaler().fit(X_train)
X_train = torch.tensor(scaler.transform(X_train), dtype=torch.float32)
X_test = torch.tensor(scaler.transform(X_test), dtype=torch.float32)
y_train, y_test = torch.tensor(y_train), torch.tensor(y_test)

# Le DataLoader mélange les exemples à chaque époque ; son générateur est fixé.
chargeur = DataLoader(
    TensorDataset(X_train, y_train),
    batch_size=64,
    shuffle=True,
    generator=torch.Generator().manual_seed(0),
)


# --- Modèle ---------------------------------------------------------------------
class MLP(nn.Module):
    """64 entrées → 128 → 64 → 10 logits."""

    def __init__(self) -> None:
        super().__init__()
        self.couches = nn.Sequential(
            nn.Linear(64, 128),
            nn.ReLU(),
            nn.Linear(128, 64),
            nn.ReLU(),
            nn.Linear(64, 10),  # pas de softmax : CrossEntropyLoss l'inclut
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.couches(x)


modele = MLP()
print(f"Paramètres entraînables : {sum(p.numel() for p in modele.parameters())}")
critere = nn.CrossEntropyLoss()
optimiseur = torch.optim.Adam(modele.parameters(), lr=1e-3)

# --- Entraînement ---------------------------------------------------------------
pertes_train, pertes_test = [], []
for epoque in range(25):
    modele.train()
    cumul = 0.0
    for xb, yb in chargeur:
        optimiseur.zero_grad()  # les gradients s'accumulent sinon
        perte = critere(modele(xb), yb)
        perte.backward()
        optimiseur.step()
        cumul += perte.item() * len(xb)
    pertes_train.append(cumul / len(X_train))
    modele.eval()
    with torch.no_grad():
        pertes_test.append(critere(modele(X_test), y_test).item())
    if epoque % 5 == 4:
        print(f"époque {epoque + 1:2d} : perte train={pertes_train[-1]:.4f} test={pertes_test[-1]:.4f}")

# --- Évaluation -----------------------------------------------------------------
modele.eval()
with torch.no_grad():
    precision = (modele(X_test).argmax(dim=1) == y_test).float().mean().item()
print(f"Précision de test : {precision:.4f}")
assert precision >= 0.90, "précision inférieure à 90 %"

plt.figure(figsize=(6, 4))
plt.plot(range(1, len(pertes_train) + 1), pertes_train, label="entraînement")
plt.plot(range(1, len(pertes_test) + 1), pertes_test, label="test")
plt.xlabel("époque")
plt.ylabel("entropie croisée")
plt.yscale("log")
plt.title("MLP PyTorch sur digits")
plt.legend()
plt.tight_layout()
plt.savefig("courbe_perte.png", dpi=100)
print("Figure enregistrée : courbe_perte.png")
