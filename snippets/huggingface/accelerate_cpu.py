# /// script
# requires-python = ">=3.11"
# dependencies = ["accelerate>=1.10", "torch==2.14.1", "scikit-learn>=1.5"]
#
# [tool.kb]
# title = "Accelerate : une boucle PyTorch ordinaire, rendue indépendante du matériel, sur CPU"
# illustrates = ["Hugging Face Accelerate", "Entraînement distribué", "Précision mixte", "Présentation de PyTorch"]
# device = "cpu"
# timeout = 180
# env = { OMP_NUM_THREADS = "2", HF_HUB_OFFLINE = "1" }
# ///
"""Les quatre changements qu'Accelerate demande à une boucle d'entraînement écrite à la main.

1. créer un ``Accelerator`` (ici forcé sur CPU, précision mixte bfloat16) ;
2. passer modèle, optimiseur et chargeur à ``accelerator.prepare`` ;
3. remplacer ``perte.backward()`` par ``accelerator.backward(perte)`` ;
4. rassembler les prédictions de tous les processus avec ``gather_for_metrics``.

Le même fichier, lancé par ``accelerate launch`` sur plusieurs GPU ou
plusieurs machines, se répartirait sans autre modification ; ici il tourne
dans un seul processus. On affiche ce que l'objet a détecté, on vérifie que
les couches calculent bien en bfloat16 sous autocast et que le modèle
apprend, puis on enregistre et recharge l'état complet (``save_state``).
"""

import torch
from accelerate import Accelerator
from accelerate.utils import set_seed
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

set_seed(0)  # random, numpy et torch d'un coup
accelerator = Accelerator(cpu=True, mixed_precision="bf16")
print(f"Appareil : {accelerator.device}, processus : {accelerator.num_processes}, "
      f"précision mixte : {accelerator.mixed_precision}, type de répartition : {accelerator.distributed_type}")

X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
scaler = StandardScaler().fit(X_train)


def chargeur(X, y, melange: bool) -> DataLoader:
    jeu = TensorDataset(torch.tensor(scaler.transform(X), dtype=torch.float32), torch.tensor(y))
    return DataLoader(jeu, batch_size=32, shuffle=melange)


modele = nn.Sequential(nn.Linear(30, 32), nn.ReLU(), nn.Linear(32, 2))
optimiseur = torch.optim.AdamW(modele.parameters(), lr=3e-3)
# prepare enveloppe chaque objet : placement sur l'appareil, découpage des lots entre processus, autocast.
modele, optimiseur, train, test = accelerator.prepare(modele, optimiseur, chargeur(X_train, y_train, True), chargeur(X_test, y_test, False))

# Un crochet sur la première couche montre le type de ses sorties pendant la passe avant.
types_vus = []
crochet = accelerator.unwrap_model(modele)[0].register_forward_hook(lambda m, e, s: types_vus.append(s.dtype))
xb, _ = next(iter(train))
sortie = modele(xb)
crochet.remove()
print(f"Sortie de la première couche : {types_vus[0]} ; logits rendus : {sortie.dtype} ; poids : {next(modele.parameters()).dtype}")
# Calcul en bfloat16 sous autocast, poids maîtres en float32, sorties reconverties en float32 par Accelerate.
assert types_vus[0] == torch.bfloat16 and sortie.dtype == torch.float32


def evaluer() -> float:
    modele.eval()
    justes = total = 0
    with torch.no_grad():
        for xb, yb in test:
            predictions = modele(xb).argmax(1)
            # Sur N processus, chacun n'a vu qu'une part du jeu de test : on rassemble (et on retire
            # les exemples dupliqués pour compléter le dernier lot).
            predictions, yb = accelerator.gather_for_metrics((predictions, yb))
            justes += (predictions == yb).sum().item()
            total += len(yb)
    modele.train()
    return justes / total


print(f"Précision avant entraînement : {evaluer():.4f}")
for epoque in range(10):
    cumul = 0.0
    for xb, yb in train:
        perte = nn.functional.cross_entropy(modele(xb), yb)
        optimiseur.zero_grad()
        accelerator.backward(perte)  # au lieu de perte.backward()
        optimiseur.step()
        cumul += perte.item()
    if epoque % 3 == 0 or epoque == 9:
        accelerator.print(f"époque {epoque + 1:2d} : perte moyenne {cumul / len(train):.4f}")  # n'écrit que sur le processus principal
precision = evaluer()
print(f"Précision de test : {precision:.4f}")
assert precision > 0.93

# --- État complet (modèle, optimiseur, générateurs aléatoires) dans un dossier ------------------------
accelerator.save_state("etat")
avant = [p.detach().clone() for p in modele.parameters()]
with torch.no_grad():
    for p in modele.parameters():
        p.zero_()
accelerator.load_state("etat")
assert all(torch.equal(a, p) for a, p in zip(avant, modele.parameters(), strict=True))
print("save_state / load_state : poids restaurés à l'identique")
# unwrap_model rend le nn.Module d'origine, à enregistrer ou exporter sans les enveloppes.
print("Module d'origine :", type(accelerator.unwrap_model(modele)).__name__)
