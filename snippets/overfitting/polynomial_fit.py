# /// script
# requires-python = ">=3.11"
# dependencies = ["numpy>=2", "matplotlib>=3.8"]
#
# [tool.kb]
# title = "Cinq points, une droite et un polynôme de degré 6"
# illustrates = ["Surapprentissage", "Sous-apprentissage", "Compromis biais-variance", "La bibliothèque NumPy"]
# device = "cpu"
# timeout = 60
# env = { OMP_NUM_THREADS = "2" }
# ///
"""Sous-apprentissage et surapprentissage sur le plus petit exemple possible.

Cinq points bruités sont tirés d'une parabole. Une droite est trop rigide pour
la suivre (erreur élevée partout : biais fort). Un polynôme de degré 6 passe
exactement par les cinq points (erreur d'entraînement nulle) mais oscille
entre eux et au-delà : son erreur de validation explose (variance forte).

Un polynôme de degré 6 a 7 coefficients : avec 5 points, le système est
sous-déterminé et une infinité de polynômes passent par les points. On prend
celui de norme minimale, que renvoie numpy.linalg.lstsq sur la matrice de
Vandermonde (par décomposition en valeurs singulières, comme la pseudo-inverse).
numpy.polyfit résout le même problème après une mise à l'échelle des colonnes,
donc trouve une autre solution, et avertit d'un ajustement mal conditionné
(RankWarning) : on ne l'emploie ici que pour la droite.
"""

import matplotlib.pyplot as plt
import numpy as np

rng = np.random.default_rng(2)
BRUIT = 0.2


def vraie_fonction(x: np.ndarray) -> np.ndarray:
    return 1.0 - 2.0 * x**2


# Cinq points d'entraînement et 200 points de validation, tirés de la même façon.
x_train = np.sort(rng.uniform(-1, 1, 5))
y_train = vraie_fonction(x_train) + rng.normal(0, BRUIT, 5)
x_val = rng.uniform(-1, 1, 200)
y_val = vraie_fonction(x_val) + rng.normal(0, BRUIT, 200)


def ajuste_moindres_carres(x: np.ndarray, y: np.ndarray, degre: int) -> np.ndarray:
    """Coefficients (puissances croissantes) de norme minimale parmi les solutions des moindres carrés."""
    vandermonde = np.vander(x, degre + 1, increasing=True)  # colonnes 1, x, x², ..., x^degre
    coefficients, _, _, _ = np.linalg.lstsq(vandermonde, y, rcond=None)
    return coefficients


def evalue(coefficients: np.ndarray, x: np.ndarray) -> np.ndarray:
    return np.polynomial.polynomial.polyval(x, coefficients)


def mse(coefficients: np.ndarray, x: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean((evalue(coefficients, x) - y) ** 2))


# La droite : cas ordinaire (2 inconnues, 5 équations), np.polyfit convient.
droite = np.polyfit(x_train, y_train, deg=1)[::-1]  # polyfit renvoie les puissances décroissantes
degre6 = ajuste_moindres_carres(x_train, y_train, 6)
assert np.allclose(evalue(degre6, x_train), y_train), "le degré 6 doit interpoler les 5 points"

modeles = {"droite (degré 1)": droite, "polynôme de degré 6": degre6}
erreurs = {nom: (mse(c, x_train, y_train), mse(c, x_val, y_val)) for nom, c in modeles.items()}
print(f"{'modèle':<22} {'EQM entraînement':>17} {'EQM validation':>15}")
for nom, (e_train, e_val) in erreurs.items():
    print(f"{nom:<22} {e_train:17.4f} {e_val:15.4f}")
print(f"(variance du bruit : {BRUIT**2:.4f}, l'erreur attendue d'un modèle parfait)")

# Le compromis biais-variance sur tous les degrés : l'erreur de validation passe par un minimum.
print("\nDegré : EQM entraînement / validation")
for degre in range(7):
    c = ajuste_moindres_carres(x_train, y_train, degre)
    remarque = "  (plus de coefficients que de points : norme minimale)" if degre + 1 > len(x_train) else ""
    print(f"  {degre} : {mse(c, x_train, y_train):8.4f} / {mse(c, x_val, y_val):8.4f}{remarque}")

e_droite, e_deg6 = erreurs["droite (degré 1)"], erreurs["polynôme de degré 6"]
assert e_deg6[0] < e_droite[0] and e_deg6[1] > e_droite[1]

# --- Figure : un panneau par modèle -----------------------------------------------
grille = np.linspace(-1, 1, 400)
fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharey=True)
for ax, (nom, c), titre in zip(axes, modeles.items(), ["Sous-apprentissage", "Surapprentissage"], strict=True):
    e_train, e_val = erreurs[nom]
    ax.scatter(x_val, y_val, s=8, color="0.7", label="validation")
    ax.plot(grille, vraie_fonction(grille), "k--", lw=1, label="fonction vraie")
    ax.plot(grille, evalue(c, grille), color="C3", lw=2, label=nom)
    ax.scatter(x_train, y_train, s=50, color="C0", zorder=3, label="entraînement (5 points)")
    ax.set_title(f"{titre} : EQM train {e_train:.3f}, validation {e_val:.3f}", fontsize=10)
    ax.set_xlabel("x")
    ax.set_ylim(-2.5, 2.0)
    ax.legend(fontsize=8, loc="lower center")
axes[0].set_ylabel("y")
fig.tight_layout()
fig.savefig("droite_vs_degre6.png", dpi=100)
print("\nFigure enregistrée : droite_vs_degre6.png")
