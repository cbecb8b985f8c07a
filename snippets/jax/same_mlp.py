# /// script
# requires-python = ">=3.11"
# dependencies = ["jax>=0.10", "optax>=0.2.4", "scikit-learn>=1.5", "numpy>=2"]
#
# [tool.kb]
# title = "Le même réseau en JAX"
# illustrates = ["Réseau de neurones", "JAX", "Optax"]
# device = "cpu"
# timeout = 120
# env = { OMP_NUM_THREADS = "2", JAX_PLATFORMS = "cpu" }
# ///
"""Le MLP de référence 64 → 64 → 10 entraîné sur digits, en JAX avec Optax.

Même données, même découpage, même architecture, même optimiseur et même
nombre d'époques que les versions NumPy, PyTorch, TensorFlow, Keras et fastai :
la dernière ligne affichée permet de comparer les frameworks.
"""

import jax
import jax.numpy as jnp
import numpy as np
import optax
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

EPOQUES, TAILLE_LOT, TAUX = 20, 32, 1e-3
cle = jax.random.PRNGKey(0)
rng = np.random.default_rng(0)  # mélange reproductible des mini-lots

# --- Données communes à toutes les versions -----------------------------------
digits = load_digits()
X = (digits.data / 16.0).astype(np.float32)
y = digits.target
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)

# --- Modèle : initialisation de Glorot uniforme, biais nuls ----------------------
glorot = jax.nn.initializers.glorot_uniform()
k1, k2 = jax.random.split(cle)
params = {
    "W1": glorot(k1, (64, 64)),
    "b1": jnp.zeros(64),
    "W2": glorot(k2, (64, 10)),
    "b2": jnp.zeros(10),
}


def logits(params: dict[str, jax.Array], x: jax.Array) -> jax.Array:
    h = jax.nn.relu(x @ params["W1"] + params["b1"])
    return h @ params["W2"] + params["b2"]


def perte(params: dict[str, jax.Array], x: jax.Array, y: jax.Array) -> jax.Array:
    return optax.softmax_cross_entropy_with_integer_labels(logits(params, x), y).mean()


optimiseur = optax.adam(TAUX)
etat_opt = optimiseur.init(params)


@jax.jit
def pas_entrainement(params, etat_opt, x, y):
    valeur, grads = jax.value_and_grad(perte)(params, x, y)
    mises_a_jour, etat_opt = optimiseur.update(grads, etat_opt)
    return optax.apply_updates(params, mises_a_jour), etat_opt, valeur


# --- Boucle d'entraînement ------------------------------------------------------
# Le dernier lot, incomplet, est gardé comme dans les autres versions (il coûte une compilation de plus).
for epoque in range(EPOQUES):
    ordre = rng.permutation(len(X_train))
    pertes = []
    for debut in range(0, len(ordre), TAILLE_LOT):
        lot = ordre[debut : debut + TAILLE_LOT]
        params, etat_opt, valeur = pas_entrainement(params, etat_opt, X_train[lot], y_train[lot])
        pertes.append(float(valeur))
    if epoque % 5 == 4:
        print(f"époque {epoque + 1:2d} : perte moyenne = {np.mean(pertes):.4f}")

precision = float(jnp.mean(jnp.argmax(logits(params, X_test), axis=1) == y_test))
print(f"Précision de test : {precision:.4f}")
print(f"RESULT framework=jax test_accuracy={precision:.4f} epochs={EPOQUES}")
