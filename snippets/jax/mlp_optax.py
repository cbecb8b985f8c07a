# /// script
# requires-python = ">=3.11"
# dependencies = ["jax>=0.10", "optax>=0.2.4", "scikit-learn>=1.5", "numpy>=2"]
#
# [tool.kb]
# title = "Un MLP en JAX pur, optimisé avec Optax, sur digits"
# illustrates = ["JAX", "Optax", "Réseau de neurones", "Optimiseurs", "Compilation JIT"]
# device = "cpu"
# timeout = 120
# env = { OMP_NUM_THREADS = "2", JAX_PLATFORMS = "cpu" }
# ///
"""Réseau de neurones écrit comme une fonction pure de ses paramètres.

Les paramètres sont une liste de dictionnaires (un pytree), le pas
d'entraînement est une fonction compilée par jax.jit qui renvoie de nouveaux
paramètres et un nouvel état d'optimiseur, et Optax fournit AdamW enchaîné à
un écrêtage de la norme du gradient.
"""

import itertools

import jax
import jax.numpy as jnp
import numpy as np
import optax
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

cle = jax.random.PRNGKey(0)
rng = np.random.default_rng(0)  # pour l'ordre des mini-lots

# --- Données ------------------------------------------------------------------
X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
scaler = StandardScaler().fit(X_train)
X_train = jnp.asarray(scaler.transform(X_train), dtype=jnp.float32)
X_test = jnp.asarray(scaler.transform(X_test), dtype=jnp.float32)
y_train, y_test = jnp.asarray(y_train), jnp.asarray(y_test)


# --- Modèle : une fonction et ses paramètres ------------------------------------
def init_mlp(cle: jax.Array, tailles: list[int]) -> list[dict[str, jax.Array]]:
    """Initialisation de He (normale) pour chaque couche dense."""
    couches = []
    for n_in, n_out in itertools.pairwise(tailles):
        cle, sous_cle = jax.random.split(cle)
        couches.append({"W": jax.random.normal(sous_cle, (n_in, n_out)) * jnp.sqrt(2.0 / n_in), "b": jnp.zeros(n_out)})
    return couches


def mlp(params: list[dict[str, jax.Array]], x: jax.Array) -> jax.Array:
    for couche in params[:-1]:
        x = jax.nn.relu(x @ couche["W"] + couche["b"])
    return x @ params[-1]["W"] + params[-1]["b"]  # logits


def perte(params: list[dict[str, jax.Array]], x: jax.Array, y: jax.Array) -> jax.Array:
    return optax.softmax_cross_entropy_with_integer_labels(mlp(params, x), y).mean()


params = init_mlp(cle, [64, 128, 64, 10])
nb_params = sum(p.size for p in jax.tree.leaves(params))
print(f"Paramètres : {nb_params}")

# Optax compose des transformations du gradient : écrêtage puis AdamW (décroissance des poids découplée).
optimiseur = optax.chain(optax.clip_by_global_norm(1.0), optax.adamw(learning_rate=1e-3, weight_decay=1e-4))
etat_opt = optimiseur.init(params)


@jax.jit
def pas_entrainement(params, etat_opt, x, y):
    """Un pas : valeur et gradient de la perte, puis mise à jour. Aucun état modifié en place."""
    valeur, grads = jax.value_and_grad(perte)(params, x, y)
    mises_a_jour, etat_opt = optimiseur.update(grads, etat_opt, params)
    params = optax.apply_updates(params, mises_a_jour)
    return params, etat_opt, valeur


@jax.jit
def precision(params, x, y):
    return jnp.mean(jnp.argmax(mlp(params, x), axis=1) == y)


# --- Boucle d'entraînement ------------------------------------------------------
taille_lot = 64
n = len(X_train)
for epoque in range(30):
    ordre = rng.permutation(n)
    # On ignore le dernier lot incomplet : formes constantes, donc une seule compilation.
    for debut in range(0, n - taille_lot + 1, taille_lot):
        lot = ordre[debut : debut + taille_lot]
        params, etat_opt, valeur = pas_entrainement(params, etat_opt, X_train[lot], y_train[lot])
    if epoque % 10 == 9:
        precision_train = float(precision(params, X_train, y_train))
        print(f"époque {epoque + 1:2d} : perte du dernier lot = {float(valeur):.4f}, précision train = {precision_train:.4f}")

precision_test = float(precision(params, X_test, y_test))
print(f"Précision de test : {precision_test:.4f}")
assert precision_test >= 0.9
