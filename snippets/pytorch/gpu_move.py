# /// script
# requires-python = ">=3.11"
# dependencies = ["torch==2.14.1", "scikit-learn>=1.5"]
#
# [tool.kb]
# title = "Entraîner sur le GPU s'il existe, sinon sur le CPU"
# illustrates = ["GPU", "CUDA", "Présentation de PyTorch", "Tenseur"]
# device = "any"
# timeout = 120
# env = { OMP_NUM_THREADS = "2" }
# ///
"""Le même code d'entraînement, quel que soit le périphérique.

On choisit le périphérique une fois, on y déplace le modèle et chaque lot, et
on ne rapatrie sur le CPU que des nombres à afficher. Le script tourne tel quel
sur une machine sans GPU.
"""

import torch
from sklearn.datasets import load_breast_cancer
from sklearn.preprocessing import StandardScaler
from torch import nn

torch.manual_seed(0)

device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"Périphérique utilisé : {device}")
if device == "cuda":
    print(f"  carte : {torch.cuda.get_device_name(0)}, CUDA {torch.version.cuda}")

# Données créées sur le CPU (NumPy / scikit-learn), puis copiées une fois sur le périphérique.
X, y = load_breast_cancer(return_X_y=True)
X = torch.tensor(StandardScaler().fit_transform(X), dtype=torch.float32).to(device)
y = torch.tensor(y, dtype=torch.float32).to(device)

# .to(device) déplace les paramètres du modèle ; l'optimiseur doit être créé après.
modele = nn.Sequential(nn.Linear(30, 16), nn.ReLU(), nn.Linear(16, 1)).to(device)
optimiseur = torch.optim.SGD(modele.parameters(), lr=0.1)
critere = nn.BCEWithLogitsLoss()
print(f"Paramètres sur : {next(modele.parameters()).device}")

for pas in range(1, 51):
    optimiseur.zero_grad()
    perte = critere(modele(X).squeeze(1), y)
    perte.backward()
    optimiseur.step()
    if pas % 10 == 0:
        # .item() copie un scalaire vers le CPU (et attend la fin du calcul sur GPU).
        print(f"pas {pas:2d} : perte = {perte.item():.3f}")

with torch.no_grad():
    precision = ((modele(X).squeeze(1) > 0).float() == y).float().mean()
print(f"Précision d'entraînement : {precision.item():.3f} (tenseur calculé sur {precision.device})")
assert precision.item() > 0.9
