# /// script
# requires-python = ">=3.11"
# dependencies = ["torch==2.14.1", "torchvision==0.29.1", "numpy>=2"]
#
# [tool.kb]
# title = "TorchVision : augmentations transforms.v2 et ResNet-18 sans poids"
# illustrates = ["TorchVision", "Réseau de neurones convolutif (CNN)", "Vision par ordinateur", "Tenseur"]
# device = "cpu"
# timeout = 120
# env = { OMP_NUM_THREADS = "2" }
# ///
"""Chaîne d'augmentation ``torchvision.transforms.v2`` puis passage avant dans un ResNet-18.

Les images sont fabriquées sur place (tenseurs uint8 de forme C×H×W), aucune
donnée n'est téléchargée. La chaîne recadre au hasard, retourne
horizontalement, convertit en float et normalise canal par canal ; on affiche
formes, types et statistiques à chaque étape. Une boîte englobante suit le
même recadrage que l'image, ce que permet l'API v2. Enfin
``resnet18(weights=None, num_classes=10)`` est construit avec des poids
aléatoires et appliqué à un lot d'images 32×32.
"""

import random

import numpy as np
import torch
from torchvision import models, tv_tensors
from torchvision.transforms import v2

random.seed(0)
np.random.seed(0)
torch.manual_seed(0)  # les transformations aléatoires de v2 tirent dans le générateur de torch
torch.set_num_threads(1)

# --- Images synthétiques : un carré clair sur un dégradé, plus du bruit -----------------
N, H, W = 16, 40, 40
gen = torch.Generator().manual_seed(0)
degrade = torch.linspace(0, 120, W).expand(H, W)  # dégradé horizontal
images = torch.empty(N, 3, H, W, dtype=torch.uint8)
for i in range(N):
    img = degrade.expand(3, H, W).clone()
    x0, y0 = torch.randint(0, W - 12, (2,), generator=gen).tolist()
    img[:, y0 : y0 + 12, x0 : x0 + 12] = torch.tensor([230.0, 90.0, 40.0]).view(3, 1, 1)  # carré orangé
    img += torch.randn(3, H, W, generator=gen) * 10
    images[i] = img.clamp(0, 255).to(torch.uint8)
print(f"Images brutes : forme {tuple(images.shape)}, type {images.dtype}, min {images.min()}, max {images.max()}")

# Moyenne et écart-type par canal, calculés sur les données comme on le ferait sur un jeu réel.
en_flottants = images.float() / 255
moyenne = [round(m, 3) for m in en_flottants.mean(dim=(0, 2, 3)).tolist()]
ecart_type = [round(s, 3) for s in en_flottants.std(dim=(0, 2, 3)).tolist()]
print("Moyenne par canal    :", moyenne)
print("Écart-type par canal :", ecart_type)

# --- La chaîne d'augmentation -----------------------------------------------------------------
augmentation = v2.Compose(
    [
        v2.RandomCrop(32),  # 40×40 → 32×32, position tirée au hasard
        v2.RandomHorizontalFlip(p=0.5),
        v2.ToDtype(torch.float32, scale=True),  # uint8 [0, 255] → float [0, 1]
        v2.Normalize(mean=moyenne, std=ecart_type),  # centrer-réduire chaque canal
    ]
)
print(augmentation)

# Les transformations v2 acceptent directement un lot (..., C, H, W) : le même tirage
# aléatoire s'applique alors à tout le lot. Pour des tirages distincts, on boucle.
une = augmentation(images[0])
print(f"Une image transformée : forme {tuple(une.shape)}, type {une.dtype}")
lot = torch.stack([augmentation(img) for img in images])
print(f"Lot transformé : forme {tuple(lot.shape)}")
print(f"  après normalisation : moyenne {lot.mean():.3f}, écart-type {lot.std():.3f}")

# Deux appels sur la même image donnent deux versions différentes (c'est le but).
a, b = augmentation(images[0]), augmentation(images[0])
print(f"Deux augmentations de la même image identiques ? {torch.equal(a, b)}")
# Avec la même graine, on retrouve exactement le même tirage.
torch.manual_seed(123)
c = augmentation(images[0])
torch.manual_seed(123)
d = augmentation(images[0])
print(f"Même graine → même résultat ? {torch.equal(c, d)}")

# --- Image et boîte englobante transformées ensemble -------------------------------------------
image_tv = tv_tensors.Image(images[0])
boite = tv_tensors.BoundingBoxes([[5, 5, 25, 25]], format="XYXY", canvas_size=(H, W))
geometrie = v2.Compose([v2.RandomCrop(32), v2.RandomHorizontalFlip(p=1.0)])
torch.manual_seed(1)
image_sortie, boite_sortie = geometrie(image_tv, boite)
print(f"Boîte avant : {boite.tolist()[0]} → après recadrage + retournement : {boite_sortie.tolist()[0]}")
print(f"  type conservé : {type(image_sortie).__name__}, {type(boite_sortie).__name__}")

# --- ResNet-18 à poids aléatoires ------------------------------------------------------------------
# weights=None : architecture seule, aucun téléchargement ; num_classes remplace la couche finale.
resnet = models.resnet18(weights=None, num_classes=10)
resnet.eval()  # BatchNorm en mode inférence
n_params = sum(p.numel() for p in resnet.parameters())
print(f"ResNet-18 : {n_params:,} paramètres".replace(",", " "))
print(f"  dernière couche : {resnet.fc}")

with torch.no_grad():
    sorties = resnet(lot)
    # Le pooling adaptatif final rend le réseau indifférent à la taille d'entrée.
    cartes = torch.nn.Sequential(*list(resnet.children())[:-2])(lot)
print(f"Cartes de caractéristiques avant le pooling : {tuple(cartes.shape)}")
print(f"Probabilités de la première image (somme) : {sorties.softmax(dim=1)[0].sum():.4f}")
assert sorties.shape == (N, 10)
print(f"Forme de la sortie du ResNet-18 : {tuple(sorties.shape)}")
