# /// script
# requires-python = ">=3.11"
# dependencies = ["torch==2.14.1", "scikit-learn>=1.5"]
#
# [tool.kb]
# title = "Le même réseau en PyTorch"
# illustrates = ["Réseau de neurones", "Présentation de PyTorch", "Optimiseurs"]
# device = "cpu"
# timeout = 120
# env = { OMP_NUM_THREADS = "2" }
# ///
"""Le MLP de référence 64 → 64 → 10 entraîné sur digits, en PyTorch.

Même données, même découpage, même architecture, même optimiseur et même
nombre d'époques que les versions NumPy, JAX, TensorFlow, Keras et fastai :
la dernière ligne affichée permet de comparer les frameworks.
"""

import random

import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

EPOQUES, TAILLE_LOT, TAUX = 20, 32, 1e-3
random.seed(0)
np.random.seed(0)
torch.manual_seed(0)
torch.use_deterministic_algorithms(True)

# --- Données communes à toutes les versions -----------------------------------
digits = load_digits()
X = (digits.data / 16.0).astype(np.float32)
y = digits.target
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
X_train, X_test = torch.from_numpy(X_train), torch.from_numpy(X_test)
y_train, y_test = torch.from_numpy(y_train), torch.from_numpy(y_test)
chargeur = DataLoader(
    TensorDataset(X_train, y_train),
    batch_size=TAILLE_LOT,
    shuffle=True,
    generator=torch.Generator().manual_seed(0),  # mélange reproductible
)

# --- Modèle : initialisation par défaut de nn.Linear ---------------------------
modele = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
critere = nn.CrossEntropyLoss()  # softmax + entropie croisée sur les logits
optimiseur = torch.optim.Adam(modele.parameters(), lr=TAUX)

# --- Boucle d'entraînement ------------------------------------------------------
for epoque in range(EPOQUES):
    modele.train()
    pertes = []
    for xb, yb in chargeur:
        optimiseur.zero_grad()
        perte = critere(modele(xb), yb)
        perte.backward()
        optimiseur.step()
        pertes.append(perte.item())
    if epoque % 5 == 4:
        print(f"époque {epoque + 1:2d} : perte moyenne = {np.mean(pertes):.4f}")

modele.eval()
with torch.no_grad():
    precision = (modele(X_test).argmax(dim=1) == y_test).float().mean().item()
print(f"Précision de test : {precision:.4f}")
print(f"RESULT framework=pytorch test_accuracy={precision:.4f} epochs={EPOQUES}")
