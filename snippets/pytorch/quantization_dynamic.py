# /// script
# requires-python = ">=3.11"
# dependencies = ["torch==2.14.1", "scikit-learn>=1.5", "matplotlib>=3.8"]
#
# [tool.kb]
# title = "Quantification dynamique int8 d'un MLP PyTorch : taille, précision et vitesse"
# illustrates = ["Quantification", "Présentation de PyTorch", "Déploiement et inférence en production"]
# device = "cpu"
# timeout = 120
# env = { OMP_NUM_THREADS = "2" }
# ///
"""Quantification dynamique après entraînement (post-training) avec ``torch.ao.quantization``.

Les poids des couches ``nn.Linear`` passent de float32 à int8 (une échelle par
tenseur) ; les activations restent en flottant et sont quantifiées à la volée,
d'où le nom « dynamique ». On compare la taille du ``state_dict`` sérialisé, la
précision de test et la durée d'inférence avant et après.

``torch.ao.quantization`` est déclaré obsolète au profit de la bibliothèque
torchao ; l'API reste disponible dans PyTorch 2.14 et suffit à montrer le
principe sur CPU sans dépendance supplémentaire.
"""

import io
import time
import warnings

import matplotlib.pyplot as plt
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from torch import nn
from torch.ao.quantization import quantize_dynamic

# Les avertissements d'obsolescence de torch.ao sont connus (voir la docstring) : on les masque.
warnings.filterwarnings("ignore", category=UserWarning)
warnings.filterwarnings("ignore", category=DeprecationWarning)
torch.manual_seed(0)

# --- Données et entraînement rapide d'un MLP assez large pour que la taille compte ---------------
X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
scaler = StandardScaler().fit(X_train)
X_train = torch.tensor(scaler.transform(X_train), dtype=torch.float32)
X_test = torch.tensor(scaler.transform(X_test), dtype=torch.float32)
y_train, y_test = torch.tensor(y_train), torch.tensor(y_test)

modele = nn.Sequential(nn.Linear(64, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))
optimiseur = torch.optim.Adam(modele.parameters(), lr=1e-3)
for _ in range(15):
    ordre = torch.randperm(len(X_train))
    for debut in range(0, len(ordre), 64):
        lot = ordre[debut : debut + 64]
        optimiseur.zero_grad()
        nn.functional.cross_entropy(modele(X_train[lot]), y_train[lot]).backward()
        optimiseur.step()
modele.eval()


def taille_ko(m: nn.Module) -> float:
    """Taille du state_dict sérialisé par torch.save, en kio."""
    tampon = io.BytesIO()
    torch.save(m.state_dict(), tampon)
    return tampon.getbuffer().nbytes / 1024


def precision(m: nn.Module) -> float:
    with torch.inference_mode():
        return (m(X_test).argmax(1) == y_test).float().mean().item()


def duree_ms(m: nn.Module, repetitions: int = 200) -> float:
    """Durée moyenne d'une inférence sur tout le jeu de test, en millisecondes."""
    with torch.inference_mode():
        for _ in range(10):  # échauffement
            m(X_test)
        debut = time.perf_counter()
        for _ in range(repetitions):
            m(X_test)
    return (time.perf_counter() - debut) / repetitions * 1000


# --- Quantification : une ligne, aucune donnée de calibration nécessaire -------------------------
quantifie = quantize_dynamic(modele, {nn.Linear}, dtype=torch.qint8)
# Les nn.Linear sont remplacées par des Linear du module torch.ao.nn.quantized.dynamic.
print("Première couche après quantification :", f"{type(quantifie[0]).__module__}.{type(quantifie[0]).__name__}")
print("Poids stockés en :", quantifie[0].weight().dtype)

mesures = {}
for nom, m in (("float32", modele), ("int8 dynamique", quantifie)):
    mesures[nom] = (taille_ko(m), precision(m), duree_ms(m))
    print(f"{nom:15s} : {mesures[nom][0]:7.1f} kio, précision {mesures[nom][1]:.4f}, {mesures[nom][2]:.3f} ms / inférence")

(t32, p32, _), (t8, p8, _) = mesures["float32"], mesures["int8 dynamique"]
with torch.inference_mode():
    accord = (modele(X_test).argmax(1) == quantifie(X_test).argmax(1)).float().mean().item()
print(f"Rapport de taille : {t32 / t8:.2f}x ; écart de précision : {100 * (p8 - p32):+.2f} points")
print(f"Prédictions identiques entre les deux modèles : {100 * accord:.1f} %")
# Les poids int8 occupent 4 fois moins de place que les float32 (plus les échelles et les biais).
assert t32 / t8 > 3.0, "le modèle quantifié devrait être près de 4 fois plus petit"
assert abs(p8 - p32) < 0.02, "la quantification ne devrait presque rien coûter en précision ici"

# Les durées dépendent de la machine : la figure les montre, les assertions ne portent pas dessus.
fig, axes = plt.subplots(1, 2, figsize=(8, 3.5))
noms = list(mesures)
axes[0].bar(noms, [mesures[n][0] for n in noms], color=["tab:blue", "tab:orange"])
axes[0].set_ylabel("taille du state_dict (kio)")
axes[1].bar(noms, [mesures[n][2] for n in noms], color=["tab:blue", "tab:orange"])
axes[1].set_ylabel("durée d'inférence (ms)")
fig.suptitle("Quantification dynamique int8 (CPU)")
fig.tight_layout()
fig.savefig("quantification.png", dpi=100)
print("Figure enregistrée : quantification.png")
