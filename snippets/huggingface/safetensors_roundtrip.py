# /// script
# requires-python = ">=3.11"
# dependencies = ["safetensors>=0.6", "torch==2.14.1", "numpy>=2"]
#
# [tool.kb]
# title = "safetensors : aller-retour exact, en-tête JSON lisible et chargement partiel"
# illustrates = ["safetensors", "Hugging Face Hub", "Présentation de PyTorch"]
# device = "cpu"
# timeout = 60
# env = { OMP_NUM_THREADS = "2" }
# ///
"""Le format safetensors : 8 octets de longueur, un en-tête JSON, puis les octets bruts des tenseurs.

On enregistre les poids d'un petit modèle avec des métadonnées, on relit le
fichier (égalité exacte, dtype compris), on décode l'en-tête à la main pour
montrer qu'il ne contient que des noms, des types, des formes et des
positions, on charge un seul tenseur sans lire les autres avec ``safe_open``,
et on relit le même fichier depuis NumPy. Contrairement à ``torch.save``
(pickle), la lecture n'exécute jamais de code venu du fichier.
"""

import json
import struct
from pathlib import Path

import numpy as np
import torch
from safetensors import safe_open
from safetensors.numpy import load_file as charger_numpy
from safetensors.torch import load_file, load_model, save_file, save_model
from torch import nn

torch.manual_seed(0)
modele = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
modele[2].to(torch.bfloat16)  # un dtype de plus, pour vérifier qu'il est conservé
poids = {nom: t.contiguous() for nom, t in modele.state_dict().items()}

# --- Écriture : les métadonnées sont un dictionnaire de chaînes ----------------------------------
save_file(poids, "modele.safetensors", metadata={"auteur": "kb", "epoques": "0"})
taille = Path("modele.safetensors").stat().st_size
octets_tenseurs = sum(t.numel() * t.element_size() for t in poids.values())
print(f"Fichier : {taille} octets, dont {octets_tenseurs} de données de tenseurs")

# --- Lecture : égalité exacte ---------------------------------------------------------------------
relu = load_file("modele.safetensors")
for nom, t in poids.items():
    assert relu[nom].dtype == t.dtype and torch.equal(relu[nom], t), nom
print("Aller-retour exact :", {nom: str(t.dtype).removeprefix("torch.") for nom, t in relu.items()})

# --- L'en-tête, décodé à la main --------------------------------------------------------------------
with open("modele.safetensors", "rb") as f:
    (longueur,) = struct.unpack("<Q", f.read(8))  # entier 64 bits petit-boutiste
    entete = json.loads(f.read(longueur))
print(f"En-tête JSON : {longueur} octets")
print("  __metadata__ :", entete["__metadata__"])
for nom in sorted(k for k in entete if k != "__metadata__"):
    print(f"  {nom:9s} {entete[nom]['dtype']:5s} forme {entete[nom]['shape']}, octets {entete[nom]['data_offsets']}")
assert 8 + longueur + octets_tenseurs == taille  # rien d'autre dans le fichier

# --- Chargement partiel, paresseux ---------------------------------------------------------------------
with safe_open("modele.safetensors", framework="pt") as f:
    print("Clés disponibles sans rien charger :", list(f.keys()))
    w0 = f.get_tensor("0.weight")  # seul ce tenseur est lu (fichier projeté en mémoire)
    tranche = f.get_slice("0.weight")[:4, :8]  # et même une tranche seulement
assert torch.equal(w0, poids["0.weight"]) and torch.equal(tranche, poids["0.weight"][:4, :8])
print("Tranche [:4, :8] de 0.weight lue directement :", tuple(tranche.shape))

# --- Le même fichier lu par NumPy (le bfloat16 n'existe pas en NumPy : on se limite au float32) ---------
save_file({"0.weight": poids["0.weight"]}, "couche0.safetensors")
tableau = charger_numpy("couche0.safetensors")["0.weight"]
assert np.array_equal(tableau, poids["0.weight"].numpy())
print("Relu depuis NumPy :", type(tableau).__name__, tableau.dtype, tableau.shape)

# --- save_model / load_model : gèrent les tenseurs partagés (poids liés) ------------------------------
lie = nn.Sequential(nn.Embedding(10, 8), nn.Linear(8, 10, bias=False))
lie[1].weight = lie[0].weight  # poids liés, comme l'entrée et la sortie d'un modèle de langue
save_model(lie, "lie.safetensors")
copie = nn.Sequential(nn.Embedding(10, 8), nn.Linear(8, 10, bias=False))
copie[1].weight = copie[0].weight
load_model(copie, "lie.safetensors")
assert torch.equal(copie[0].weight, lie[0].weight) and copie[1].weight is copie[0].weight
with safe_open("lie.safetensors", framework="pt") as f:
    print("Poids liés enregistrés une seule fois :", list(f.keys()))
