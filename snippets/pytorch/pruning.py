# /// script
# requires-python = ">=3.11"
# dependencies = ["torch==2.14.1", "scikit-learn>=1.5", "matplotlib>=3.8"]
#
# [tool.kb]
# title = "Élagage par magnitude avec torch.nn.utils.prune : parcimonie et précision"
# illustrates = ["Élagage de réseaux", "Présentation de PyTorch", "Régularisation"]
# device = "cpu"
# timeout = 120
# env = { OMP_NUM_THREADS = "2" }
# ///
"""Élagage non structuré global : on met à zéro les poids de plus faible magnitude.

On entraîne un MLP sur digits, puis on élague 50 %, 80 %, 90 % et 95 % de ses
poids avec ``prune.global_unstructured`` (critère L1 sur l'ensemble des
couches), avec ou sans quelques époques de réentraînement. ``prune`` ajoute un
masque (``weight_mask``) et recalcule ``weight`` à chaque passe ;
``prune.remove`` rend l'élagage définitif. Les zéros ne réduisent ni la taille
d'un tenseur dense ni le temps de calcul : il faut pour cela un format creux ou
un élagage structuré (des neurones entiers). Un seuil global peut aussi vider une
couche entière : c'est ce qui arrive ici à 95 %.
"""

import copy

import matplotlib.pyplot as plt
import torch
import torch.nn.utils.prune as prune
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from torch import nn

torch.manual_seed(0)
X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
scaler = StandardScaler().fit(X_train)
X_train = torch.tensor(scaler.transform(X_train), dtype=torch.float32)
X_test = torch.tensor(scaler.transform(X_test), dtype=torch.float32)
y_train, y_test = torch.tensor(y_train), torch.tensor(y_test)


def entrainer(modele: nn.Module, epoques: int) -> None:
    optimiseur = torch.optim.Adam(modele.parameters(), lr=1e-3)
    for _ in range(epoques):
        ordre = torch.randperm(len(X_train))
        for debut in range(0, len(ordre), 64):
            lot = ordre[debut : debut + 64]
            optimiseur.zero_grad()
            nn.functional.cross_entropy(modele(X_train[lot]), y_train[lot]).backward()
            optimiseur.step()  # les poids masqués restent nuls : le masque s'applique à chaque passe


def precision(modele: nn.Module) -> float:
    with torch.no_grad():
        return (modele(X_test).argmax(1) == y_test).float().mean().item()


def lineaires(modele: nn.Module) -> list[tuple[nn.Module, str]]:
    return [(m, "weight") for m in modele if isinstance(m, nn.Linear)]


def parcimonie(modele: nn.Module) -> float:
    """Fraction de poids exactement nuls dans les couches linéaires (biais exclus)."""
    poids = [m.weight for m, _ in lineaires(modele)]
    return sum((w == 0).sum().item() for w in poids) / sum(w.numel() for w in poids)


reference = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
entrainer(reference, 20)
base = precision(reference)
print(f"Modèle dense : précision {base:.4f}, poids nuls {100 * parcimonie(reference):.1f} %")

taux = [0.5, 0.8, 0.9, 0.95]
sans, avec = [], []
for t in taux:
    modele = copy.deepcopy(reference)
    # Un seul seuil pour toutes les couches : les couches peu utiles perdent plus de poids.
    prune.global_unstructured(lineaires(modele), pruning_method=prune.L1Unstructured, amount=t)
    sans.append(precision(modele))
    entrainer(modele, 3)  # court réentraînement (fine-tuning) avec le masque en place
    avec.append(precision(modele))
    for m, nom in lineaires(modele):
        prune.remove(m, nom)  # le masque est fusionné dans weight : plus de weight_orig
    assert not hasattr(modele[0], "weight_orig")
    mesure = parcimonie(modele)
    assert abs(mesure - t) < 0.01, (mesure, t)
    par_couche = ", ".join(f"{100 * (m.weight == 0).float().mean().item():.0f} %" for m, _ in lineaires(modele))
    print(f"élagage {100 * t:.0f} % : précision {sans[-1]:.4f} → {avec[-1]:.4f} après réentraînement (nuls par couche : {par_couche})")

# À 50 %, presque rien n'est perdu ; à 90 %, le réentraînement rattrape l'essentiel.
assert sans[0] > base - 0.02
assert avec[2] > sans[2] and avec[2] > 0.9
# À 95 %, le seuil global vide presque entièrement la couche du milieu (la plus grande) :
# le réseau ne transmet plus d'information et le réentraînement n'y peut rien.
assert avec[3] < 0.5
print("À 95 %, le seuil global a presque vidé la couche cachée centrale : le réseau s'effondre.")

plt.figure(figsize=(6, 4))
plt.axhline(base, color="gray", linestyle="--", label="dense")
plt.plot([100 * t for t in taux], sans, "o-", label="élagué")
plt.plot([100 * t for t in taux], avec, "s-", label="élagué + 3 époques")
plt.xlabel("poids mis à zéro (%)")
plt.ylabel("précision de test")
plt.title("Élagage global par magnitude (MLP, digits)")
plt.legend()
plt.tight_layout()
plt.savefig("elagage.png", dpi=100)
print("Figure enregistrée : elagage.png")
