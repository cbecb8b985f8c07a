# /// script
# requires-python = ">=3.11"
# dependencies = ["torch==2.14.1"]
#
# [tool.kb]
# title = "Entraînement en précision mixte avec autocast et GradScaler"
# illustrates = ["Précision mixte", "GPU", "CUDA", "Présentation de PyTorch"]
# device = "gpu"
# timeout = 180
# env = { OMP_NUM_THREADS = "2" }
# ///
"""Boucle d'entraînement en précision mixte (float16) sur un GPU CUDA.

torch.amp.autocast exécute les produits matriciels en float16 tout en gardant
en float32 les opérations sensibles (réductions, pertes) ; les poids restent en
float32. GradScaler multiplie la perte avant la rétropropagation pour que les
petits gradients ne s'annulent pas en float16, puis divise les gradients avant
le pas de l'optimiseur et ajuste ce facteur au fil des pas.
"""

import torch
from torch import nn

DEVICE = "cuda"
DTYPE = torch.float16  # torch.bfloat16 sur Ampere et plus récent : même plage que float32, GradScaler inutile

if not torch.cuda.is_available():
    raise SystemExit("Ce script demande un GPU CUDA (aucun n'est visible).")

torch.manual_seed(0)
print(f"Carte : {torch.cuda.get_device_name(0)}")

# Problème synthétique : 10 classes définies par une projection aléatoire fixe.
n, d, classes = 8192, 512, 10
projection = torch.randn(d, classes, device=DEVICE)
X = torch.randn(n, d, device=DEVICE)
y = (X @ projection).argmax(dim=1)
X_val = torch.randn(2048, d, device=DEVICE)  # exemples jamais vus pendant l'entraînement
y_val = (X_val @ projection).argmax(dim=1)

modele = nn.Sequential(
    nn.Linear(d, 1024),
    nn.ReLU(),
    nn.Linear(1024, 1024),
    nn.ReLU(),
    nn.Linear(1024, classes),
).to(DEVICE)
optimiseur = torch.optim.AdamW(modele.parameters(), lr=1e-3)
critere = nn.CrossEntropyLoss()
scaler = torch.amp.GradScaler(DEVICE)

taille_lot = 256
for epoque in range(5):
    permutation = torch.randperm(n, device=DEVICE)
    for debut in range(0, n, taille_lot):
        lot = permutation[debut : debut + taille_lot]
        optimiseur.zero_grad(set_to_none=True)
        # Seule la passe avant (et la perte) est dans le contexte autocast.
        with torch.amp.autocast(device_type=DEVICE, dtype=DTYPE):
            logits = modele(X[lot])
            perte = critere(logits, y[lot])
        scaler.scale(perte).backward()  # gradients de la perte multipliée par le facteur d'échelle
        scaler.step(optimiseur)  # désactive le facteur ; saute le pas si un gradient est inf/NaN
        scaler.update()  # ajuste le facteur pour le pas suivant
    print(f"époque {epoque + 1} : perte = {perte.item():.4f}, facteur d'échelle = {scaler.get_scale():.0f}")

print(f"dtype des logits (sous autocast)  : {logits.dtype}")
print(f"dtype de la perte (sous autocast) : {perte.dtype}")
print(f"dtype des poids                   : {modele[0].weight.dtype}")
print(f"dtype des gradients               : {modele[0].weight.grad.dtype}")

# En inférence aussi, autocast accélère les produits matriciels.
with torch.no_grad(), torch.amp.autocast(device_type=DEVICE, dtype=DTYPE):
    precision = (modele(X_val).argmax(dim=1) == y_val).float().mean().item()
print(f"Précision de validation : {precision:.3f}")
assert logits.dtype == DTYPE and modele[0].weight.dtype == torch.float32
assert precision > 0.5
