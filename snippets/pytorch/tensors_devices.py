# /// script
# requires-python = ">=3.11"
# dependencies = ["torch==2.14.1", "numpy>=2"]
#
# [tool.kb]
# title = "Tenseurs PyTorch : types, formes, diffusion et périphériques"
# illustrates = ["Tenseur", "Présentation de PyTorch", "La bibliothèque NumPy", "GPU"]
# device = "any"
# timeout = 60
# env = { OMP_NUM_THREADS = "2" }
# ///
"""Tour d'horizon des tenseurs PyTorch.

Création, types (dtype), formes, diffusion (broadcasting), passage vers et depuis
NumPy, et déplacement d'un tenseur vers le périphérique disponible (GPU sinon CPU).
"""

import numpy as np
import torch

torch.manual_seed(0)

# --- Création et types --------------------------------------------------------
entiers = torch.arange(6)  # entiers 64 bits par défaut
reels = torch.linspace(0.0, 1.0, steps=6)  # float32 par défaut
demi = reels.to(torch.float16)  # conversion explicite de type
print(f"arange     : {entiers.tolist()} dtype={entiers.dtype}")
print(f"linspace   : {[round(v, 2) for v in reels.tolist()]} dtype={reels.dtype}")
print(f"float16    : dtype={demi.dtype}, octets par élément={demi.element_size()}")
# Mélanger les types suit des règles de promotion : int64 + float32 -> float32
print(f"promotion  : {(entiers + reels).dtype}")

# --- Formes -------------------------------------------------------------------
matrice = entiers.reshape(2, 3)
print(f"reshape(2, 3)  : forme={tuple(matrice.shape)}")
print(f"transposée     : forme={tuple(matrice.T.shape)}, contiguë={matrice.T.is_contiguous()}")
print(f"unsqueeze(0)   : forme={tuple(matrice.unsqueeze(0).shape)}")
lot = torch.randn(8, 1, 28, 28)  # lot d'images : (N, C, H, W)
print(f"flatten(1)     : {tuple(lot.shape)} -> {tuple(lot.flatten(1).shape)}")

# --- Diffusion (broadcasting) -------------------------------------------------
# Une colonne (3, 1) et une ligne (1, 4) s'étendent en une grille (3, 4) sans copie.
colonne = torch.tensor([[0.0], [10.0], [20.0]])
ligne = torch.tensor([[1.0, 2.0, 3.0, 4.0]])
grille = colonne + ligne
print(f"diffusion (3,1)+(1,4) -> {tuple(grille.shape)}")
print(grille)
# Cas typique : centrer chaque colonne d'un lot en soustrayant la moyenne par colonne.
donnees = torch.randn(100, 5) * 3 + 7
centrees = donnees - donnees.mean(dim=0)  # (100, 5) - (5,)
print(f"moyennes nulles après centrage (à 1e-5 près) : {bool(centrees.mean(dim=0).abs().max() < 1e-5)}")

# --- Interopérabilité avec NumPy ----------------------------------------------
tableau = np.ones(3, dtype=np.float32)
partage = torch.from_numpy(tableau)  # partage la mémoire avec le tableau NumPy
tableau[0] = 42.0
print(f"from_numpy partage la mémoire : {partage.tolist()}")
copie = torch.tensor(tableau)  # torch.tensor copie toujours
tableau[1] = -1.0
print(f"torch.tensor copie           : {copie.tolist()}")
retour = (partage * 2).numpy()  # tenseur CPU -> ndarray (sans copie)
print(f"retour vers NumPy : {type(retour).__name__} {retour.tolist()}")

# --- Périphérique ---------------------------------------------------------------
device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"Périphérique choisi : {device}")
if device == "cuda":
    print(f"Carte : {torch.cuda.get_device_name(0)}")
a = torch.randn(256, 256)
b = torch.randn(256, 256)
a_dev, b_dev = a.to(device), b.to(device)  # copie vers le GPU (ou no-op sur CPU)
produit = a_dev @ b_dev  # le calcul a lieu là où sont les tenseurs
print(f"produit sur : {produit.device}")
# Les deux opérandes doivent être sur le même périphérique ; on revient au CPU pour comparer.
ecart = (produit.cpu() - a @ b).abs().max().item()
print(f"résultats CPU et {device} identiques à 1e-2 près : {ecart < 1e-2}")
assert ecart < 1e-2
# .numpy() exige un tenseur sur CPU, d'où le .cpu() préalable
print(f"forme du résultat converti : {produit.cpu().numpy().shape}")
