# /// script
# requires-python = ">=3.11"
# dependencies = ["torch==2.14.1", "scikit-learn>=1.5", "matplotlib>=3.8"]
#
# [tool.kb]
# title = "Distillation de connaissances : un petit élève apprend des probabilités d'un grand professeur"
# illustrates = ["Distillation de connaissances", "Présentation de PyTorch", "Régularisation"]
# device = "cpu"
# timeout = 300
# env = { OMP_NUM_THREADS = "1" }
# ///
"""Distillation à la Hinton : perte = α·T²·KL(professeur‖élève, à température T) + (1−α)·entropie croisée.

Un professeur large est entraîné sur 200 chiffres étiquetés de digits. Un
élève minuscule (8 neurones cachés, 60 fois moins de paramètres) est entraîné
de trois façons, avec la même initialisation :

1. sur les 200 étiquettes seules ;
2. sur les mêmes 200 exemples, avec en plus les probabilités « adoucies » du
   professeur (elles disent quelles classes se ressemblent, ce que les
   étiquettes ignorent) ;
3. en ajoutant 1 000 images *sans étiquette* que seul le professeur annote :
   l'« ensemble de transfert », usage courant de la distillation quand on a
   beaucoup d'entrées et peu d'étiquettes.

On répète sur trois graines. Sur les seules données étiquetées, le gain est
faible ; avec l'ensemble de transfert, il est net.
"""

import matplotlib.pyplot as plt
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from torch import nn
from torch.nn import functional as F

X, y = load_digits(return_X_y=True)
X_pool, X_test, y_pool, y_test = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
X_lab, X_sans, y_lab, _ = train_test_split(X_pool, y_pool, train_size=200, random_state=0, stratify=y_pool)
scaler = StandardScaler().fit(X_lab)
X_lab, X_sans, X_test = (torch.tensor(scaler.transform(a), dtype=torch.float32) for a in (X_lab, X_sans, X_test))
y_lab, y_test = torch.tensor(y_lab), torch.tensor(y_test)
print(f"Exemples étiquetés : {len(X_lab)}, sans étiquette : {len(X_sans)}, test : {len(X_test)}")


def mlp(cachee: int) -> nn.Module:
    return nn.Sequential(nn.Linear(64, cachee), nn.ReLU(), nn.Linear(cachee, 10))


def precision(modele: nn.Module) -> float:
    with torch.no_grad():
        return (modele(X_test).argmax(1) == y_test).float().mean().item()


def entrainer(modele, epoques, professeur=None, transfert=None, T=4.0, alpha=0.7, suivi=False) -> list[float]:
    """Adam, lots de 32 exemples étiquetés ; avec un professeur, ajoute le terme de distillation,
    calculé aussi sur un lot de ``transfert`` (images sans étiquette) quand il est fourni.
    Renvoie la précision de test après chaque époque si ``suivi``, sinon la seule précision finale."""
    optimiseur = torch.optim.Adam(modele.parameters(), lr=3e-3)
    historique = []
    for epoque in range(epoques):
        ordre = torch.randperm(len(X_lab))
        for debut in range(0, len(ordre), 32):
            lot = ordre[debut : debut + 32]
            perte = F.cross_entropy(modele(X_lab[lot]), y_lab[lot])
            if professeur is not None:
                x = X_lab[lot]
                if transfert is not None:
                    x = torch.cat([x, transfert[torch.randint(len(transfert), (128,))]])
                with torch.no_grad():
                    cible = F.softmax(professeur(x) / T, dim=1)
                # Le facteur T² garde des gradients comparables à ceux de l'entropie croisée.
                kl = F.kl_div(F.log_softmax(modele(x) / T, dim=1), cible, reduction="batchmean") * T * T
                perte = alpha * kl + (1 - alpha) * perte
            optimiseur.zero_grad()
            perte.backward()
            optimiseur.step()
        if suivi or epoque == epoques - 1:
            historique.append(precision(modele))
    return historique


torch.manual_seed(0)
professeur = mlp(512)
entrainer(professeur, 60)
professeur.eval()
n_prof = sum(p.numel() for p in professeur.parameters())
n_eleve = sum(p.numel() for p in mlp(8).parameters())
print(f"Professeur : {n_prof} paramètres, précision de test {precision(professeur):.4f}")
print(f"Élève : {n_eleve} paramètres ({n_prof // n_eleve} fois moins)")

variantes = {
    "étiquettes seules": {},
    "distillé": {"professeur": professeur},
    "distillé + transfert": {"professeur": professeur, "transfert": X_sans},
}
finales = {nom: [] for nom in variantes}
courbes = {}
for graine in range(3):
    for nom, options in variantes.items():
        torch.manual_seed(100 + graine)  # même initialisation de l'élève pour les trois variantes
        courbe = entrainer(mlp(8), 60, suivi=graine == 0, **options)
        finales[nom].append(courbe[-1])
        courbes.setdefault(nom, courbe)
    print(f"graine {graine} : " + ", ".join(f"{nom} {finales[nom][-1]:.4f}" for nom in variantes))

moyennes = {nom: sum(v) / len(v) for nom, v in finales.items()}
for nom, m in moyennes.items():
    print(f"Précision moyenne, {nom:21s} : {m:.4f}")
gain = moyennes["distillé + transfert"] - moyennes["étiquettes seules"]
print(f"Gain de la distillation avec ensemble de transfert : {100 * gain:+.2f} points")
assert gain > 0.015, "le professeur devrait transmettre ce qu'il sait des images sans étiquette"

plt.figure(figsize=(6, 4))
for nom, courbe in courbes.items():
    plt.plot(range(1, len(courbe) + 1), courbe, label=f"élève, {nom}")
plt.axhline(precision(professeur), color="gray", linestyle="--", label="professeur")
plt.xlabel("époque")
plt.ylabel("précision de test")
plt.ylim(0.5, 1.0)
plt.title("Distillation vers un élève à 8 neurones cachés (graine 0)")
plt.legend()
plt.tight_layout()
plt.savefig("distillation.png", dpi=100)
print("Figure enregistrée : distillation.png")
