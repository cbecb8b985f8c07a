# /// script
# requires-python = ">=3.11"
# dependencies = ["numpy>=2", "scikit-learn>=1.5"]
#
# [tool.kb]
# title = "Le même réseau en NumPy"
# illustrates = ["Réseau de neurones", "La bibliothèque NumPy", "Optimiseurs", "Rétropropagation"]
# device = "cpu"
# timeout = 120
# env = { OMP_NUM_THREADS = "2" }
# ///
"""Le MLP de référence 64 → 64 → 10 entraîné sur digits, en NumPy pur.

Même données, même découpage, même architecture, même optimiseur (Adam écrit à
la main) et même nombre d'époques que les versions PyTorch, JAX, TensorFlow,
Keras et fastai : la dernière ligne affichée permet de comparer les frameworks.
"""

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

EPOQUES, TAILLE_LOT, TAUX = 20, 32, 1e-3
rng = np.random.default_rng(0)

# --- Données communes à toutes les versions -----------------------------------
digits = load_digits()
X = (digits.data / 16.0).astype(np.float32)
y = digits.target
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)


def glorot_uniforme(n_in: int, n_out: int) -> np.ndarray:
    """Initialisation de Glorot (Xavier) uniforme, celle de Keras par défaut."""
    limite = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-limite, limite, size=(n_in, n_out)).astype(np.float32)


params = {
    "W1": glorot_uniforme(64, 64),
    "b1": np.zeros(64, np.float32),
    "W2": glorot_uniforme(64, 10),
    "b2": np.zeros(10, np.float32),
}


def logits_de(params: dict[str, np.ndarray], X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Passe avant : renvoie les logits et la couche cachée (utile au gradient)."""
    h = np.maximum(X @ params["W1"] + params["b1"], 0.0)
    return h @ params["W2"] + params["b2"], h


def gradients(params: dict[str, np.ndarray], X: np.ndarray, y: np.ndarray) -> tuple[float, dict[str, np.ndarray]]:
    """Perte d'entropie croisée et son gradient, calculé à la main."""
    logits, h = logits_de(params, X)
    logits = logits - logits.max(axis=1, keepdims=True)
    probas = np.exp(logits)
    probas /= probas.sum(axis=1, keepdims=True)
    n = len(y)
    loss = float(-np.log(probas[np.arange(n), y]).mean())
    d_logits = probas
    d_logits[np.arange(n), y] -= 1.0
    d_logits /= n
    d_h = (d_logits @ params["W2"].T) * (h > 0)
    return loss, {"W1": X.T @ d_h, "b1": d_h.sum(0), "W2": h.T @ d_logits, "b2": d_logits.sum(0)}


# --- Adam écrit à la main (mêmes constantes que torch.optim.Adam) -------------
beta1, beta2, eps = 0.9, 0.999, 1e-8
moment1 = {k: np.zeros_like(p) for k, p in params.items()}  # moyenne glissante des gradients
moment2 = {k: np.zeros_like(p) for k, p in params.items()}  # moyenne glissante de leurs carrés


def pas_adam(grads: dict[str, np.ndarray], t: int) -> None:
    """Un pas d'Adam ; t est le numéro du pas, à partir de 1."""
    for k in params:
        moment1[k] = beta1 * moment1[k] + (1 - beta1) * grads[k]
        moment2[k] = beta2 * moment2[k] + (1 - beta2) * grads[k] ** 2
        m_hat = moment1[k] / (1 - beta1**t)  # correction du biais des premiers pas
        v_hat = moment2[k] / (1 - beta2**t)
        params[k] -= (TAUX * m_hat / (np.sqrt(v_hat) + eps)).astype(np.float32)


# --- Boucle d'entraînement ------------------------------------------------------
pas = 0
for epoque in range(EPOQUES):
    ordre = rng.permutation(len(X_train))  # mélange reproductible
    pertes = []
    for debut in range(0, len(ordre), TAILLE_LOT):
        lot = ordre[debut : debut + TAILLE_LOT]
        loss, grads = gradients(params, X_train[lot], y_train[lot])
        pas += 1
        pas_adam(grads, pas)
        pertes.append(loss)
    if epoque % 5 == 4:
        print(f"époque {epoque + 1:2d} : perte moyenne = {np.mean(pertes):.4f}")

precision = float((logits_de(params, X_test)[0].argmax(axis=1) == y_test).mean())
print(f"Précision de test : {precision:.4f}")
print(f"RESULT framework=numpy test_accuracy={precision:.4f} epochs={EPOQUES}")
