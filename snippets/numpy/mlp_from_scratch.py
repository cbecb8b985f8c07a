# /// script
# requires-python = ">=3.11"
# dependencies = ["numpy>=2", "scikit-learn>=1.5"]
#
# [tool.kb]
# title = "Un réseau à deux couches écrit à la main en NumPy"
# illustrates = ["La bibliothèque NumPy", "Passe avant", "Rétropropagation", "Descente de gradient", "Réseau de neurones"]
# device = "cpu"
# timeout = 120
# env = { OMP_NUM_THREADS = "2" }
# ///
"""Réseau à deux couches entraîné sur digits avec NumPy seul.

La passe avant et la rétropropagation sont écrites à la main : c'est exactement
le travail que PyTorch, JAX ou TensorFlow automatisent. Le gradient analytique
est vérifié par différences finies sur quelques poids avant l'entraînement.
"""

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

rng = np.random.default_rng(42)

# --- Données : images 8x8 aplaties en 64 valeurs, 10 classes -----------------
X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
scaler = StandardScaler().fit(X_train)  # statistiques apprises sur l'entraînement seulement
X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
n_entrees, n_cachees, n_classes = 64, 32, 10


def init_parametres(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Initialisation de He pour la couche ReLU, biais nuls."""
    return {
        "W1": rng.normal(0.0, np.sqrt(2.0 / n_entrees), size=(n_entrees, n_cachees)),
        "b1": np.zeros(n_cachees),
        "W2": rng.normal(0.0, np.sqrt(2.0 / n_cachees), size=(n_cachees, n_classes)),
        "b2": np.zeros(n_classes),
    }


def passe_avant(p: dict[str, np.ndarray], X: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Calcule les probabilités et garde les valeurs intermédiaires utiles à la rétropropagation."""
    z1 = X @ p["W1"] + p["b1"]
    h1 = np.maximum(z1, 0.0)  # ReLU
    logits = h1 @ p["W2"] + p["b2"]
    logits = logits - logits.max(axis=1, keepdims=True)  # stabilité numérique du softmax
    exp = np.exp(logits)
    probas = exp / exp.sum(axis=1, keepdims=True)
    return probas, {"X": X, "z1": z1, "h1": h1}


def perte(probas: np.ndarray, y: np.ndarray) -> float:
    """Entropie croisée moyenne."""
    return float(-np.log(probas[np.arange(len(y)), y] + 1e-12).mean())


def retropropagation(p: dict[str, np.ndarray], probas: np.ndarray, cache: dict[str, np.ndarray], y: np.ndarray) -> dict[str, np.ndarray]:
    """Règle de la chaîne appliquée couche par couche, de la sortie vers l'entrée."""
    n = len(y)
    # Dérivée de l'entropie croisée composée au softmax : p - one_hot(y)
    d_logits = probas.copy()
    d_logits[np.arange(n), y] -= 1.0
    d_logits /= n
    grads = {"W2": cache["h1"].T @ d_logits, "b2": d_logits.sum(axis=0)}
    d_h1 = d_logits @ p["W2"].T
    d_z1 = d_h1 * (cache["z1"] > 0)  # la ReLU laisse passer le gradient seulement là où z1 > 0
    grads["W1"] = cache["X"].T @ d_z1
    grads["b1"] = d_z1.sum(axis=0)
    return grads


# --- Vérification du gradient par différences finies -------------------------
p = init_parametres(rng)
X_petit, y_petit = X_train[:20], y_train[:20]
probas, cache = passe_avant(p, X_petit)
grads = retropropagation(p, probas, cache, y_petit)
eps = 1e-5
ecart_max = 0.0
for nom, idx in [("W1", (3, 5)), ("W1", (40, 17)), ("b1", (2,)), ("W2", (7, 4)), ("b2", (9,))]:
    original = p[nom][idx]
    p[nom][idx] = original + eps
    perte_plus = perte(passe_avant(p, X_petit)[0], y_petit)
    p[nom][idx] = original - eps
    perte_moins = perte(passe_avant(p, X_petit)[0], y_petit)
    p[nom][idx] = original  # on remet le poids en place
    numerique = (perte_plus - perte_moins) / (2 * eps)  # différence centrée
    analytique = grads[nom][idx]
    relatif = abs(numerique - analytique) / max(1e-8, abs(numerique) + abs(analytique))
    ecart_max = max(ecart_max, relatif)
    print(f"gradient {nom}{list(idx)} : analytique={analytique:+.6f} numérique={numerique:+.6f}")
print(f"Écart relatif maximal : {ecart_max:.1e}")
assert ecart_max < 1e-5, "la rétropropagation ne correspond pas aux différences finies"

# --- Entraînement : descente de gradient stochastique avec momentum ------------
p = init_parametres(rng)
vitesse = {k: np.zeros_like(v) for k, v in p.items()}
taux, momentum, taille_lot = 0.05, 0.9, 32
for epoque in range(30):
    ordre = rng.permutation(len(X_train))
    for debut in range(0, len(ordre), taille_lot):
        lot = ordre[debut : debut + taille_lot]
        probas, cache = passe_avant(p, X_train[lot])
        grads = retropropagation(p, probas, cache, y_train[lot])
        for k in p:
            vitesse[k] = momentum * vitesse[k] - taux * grads[k]
            p[k] += vitesse[k]
    if epoque % 10 == 9:
        perte_train = perte(passe_avant(p, X_train)[0], y_train)
        print(f"époque {epoque + 1:2d} : perte d'entraînement = {perte_train:.4f}")

precision = float((passe_avant(p, X_test)[0].argmax(axis=1) == y_test).mean())
print(f"Précision de test : {precision:.4f}")
assert precision >= 0.9
