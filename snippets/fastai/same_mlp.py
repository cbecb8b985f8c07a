# /// script
# requires-python = ">=3.11"
# dependencies = ["fastai>=2.8,<2.9", "torch==2.14.1", "scikit-learn>=1.5", "numpy>=2"]
#
# [tool.kb]
# title = "Le même réseau en fastai"
# illustrates = ["Réseau de neurones", "fastai", "Présentation de PyTorch", "API de haut niveau"]
# device = "cpu"
# timeout = 180
# ///
"""Le perceptron multicouche commun à tous les frameworks, entraîné par un ``Learner`` fastai.

Même contrat que les autres versions : chiffres 8×8 de scikit-learn, pixels
divisés par 16, découpage 75 % / 25 % stratifié (``random_state=0``), réseau
64 → 64 (ReLU) → 10, entropie croisée sur la softmax, Adam (taux 1e-3), lots
de 32, 20 époques. Le modèle est un simple ``nn.Sequential`` PyTorch
(initialisation par défaut de PyTorch) ; fastai fournit les ``DataLoaders``
et la boucle d'entraînement.

Pour rester comparable, on s'écarte de deux réglages par défaut de fastai :
l'optimiseur est ``torch.optim.Adam`` enveloppé par ``OptimWrapper`` (l'Adam
de fastai a d'autres ``eps`` et ``betas`` et ajoute une décroissance des
poids), et on appelle ``fit`` à taux constant plutôt que ``fit_one_cycle``.
"""

from functools import partial

import numpy as np
import torch
from fastai.basics import DataLoaders, Learner, OptimWrapper, accuracy, set_seed
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch import nn
from torch.utils.data import TensorDataset

set_seed(0, reproducible=True)  # graines de Python, NumPy et PyTorch
torch.set_num_threads(1)

EPOQUES = 20

# --- Données (identiques dans toutes les versions) --------------------------------------------
chiffres = load_digits()
X = (chiffres.data / 16.0).astype(np.float32)
y = chiffres.target
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)

train_ds = TensorDataset(torch.from_numpy(X_train), torch.from_numpy(y_train))
test_ds = TensorDataset(torch.from_numpy(X_test), torch.from_numpy(y_test))
# Le premier jeu est mélangé à chaque époque ; drop_last=False garde le dernier lot incomplet.
dls = DataLoaders.from_dsets(train_ds, test_ds, bs=32, drop_last=False, num_workers=0)

# --- Modèle PyTorch ordinaire ---------------------------------------------------------------------
model = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))

learn = Learner(
    dls,
    model,
    loss_func=nn.CrossEntropyLoss(),  # log-softmax + entropie croisée sur les logits
    opt_func=partial(OptimWrapper, opt=torch.optim.Adam),
    metrics=accuracy,
)

# fastai.basics n'active pas la barre de progression (elle vient avec fastai.callback.progress) ;
# no_logging coupe le tableau par époque (qui contient des durées) : on lit learn.recorder à la place.
with learn.no_logging():
    learn.fit(EPOQUES, lr=1e-3)

print("Nombre de paramètres :", sum(p.numel() for p in model.parameters()))
for epoque in range(4, EPOQUES, 5):
    perte_train, perte_test, _ = learn.recorder.values[epoque]
    print(f"Époque {epoque + 1:2d} | perte d'entraînement lissée {perte_train:.4f} | perte test {perte_test:.4f}")

# Évaluation : prédictions sur le jeu de test (second DataLoader).
probas, cibles = learn.get_preds(dl=dls.valid)
precision = float((probas.argmax(dim=1) == cibles).float().mean())
print(f"RESULT framework=fastai test_accuracy={precision:.4f} epochs={EPOQUES}")
