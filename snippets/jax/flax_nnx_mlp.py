# /// script
# requires-python = ">=3.11"
# dependencies = ["flax>=0.12", "jax>=0.10", "optax>=0.2.4", "scikit-learn>=1.5", "numpy>=2"]
#
# [tool.kb]
# title = "Flax NNX : un MLP objet sur digits, avec dropout, BatchNorm et nnx.jit"
# illustrates = ["Flax NNX", "Flax", "JAX", "Optax", "Dropout"]
# device = "cpu"
# timeout = 180
# env = { OMP_NUM_THREADS = "2", JAX_PLATFORMS = "cpu" }
# ///
"""Flax NNX : des modules Python ordinaires qui portent leur état, au-dessus de JAX.

Avec NNX, un module est un objet mutable (comme en PyTorch) : les paramètres,
les statistiques de BatchNorm et les générateurs aléatoires du dropout sont
des attributs. ``nnx.jit`` et ``nnx.value_and_grad`` savent faire entrer et
sortir cet état des transformations fonctionnelles de JAX. L'optimiseur vient
d'Optax, enveloppé par ``nnx.Optimizer``. On montre aussi ``nnx.split`` qui
sépare la structure (``GraphDef``) de l'état (un pytree de tableaux), le pont
vers le JAX fonctionnel.
"""

import jax
import jax.numpy as jnp
import numpy as np
import optax
from flax import nnx
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
scaler = StandardScaler().fit(X_train)
X_train, X_test = (jnp.asarray(scaler.transform(a), dtype=jnp.float32) for a in (X_train, X_test))
y_train, y_test = jnp.asarray(y_train), jnp.asarray(y_test)


class MLP(nnx.Module):
    """64 → 128 → 10 avec BatchNorm et dropout ; ``rngs`` fournit les clés d'initialisation et de dropout."""

    def __init__(self, rngs: nnx.Rngs) -> None:
        self.cachee = nnx.Linear(64, 128, rngs=rngs)
        self.norme = nnx.BatchNorm(128, rngs=rngs)
        self.abandon = nnx.Dropout(0.2, rngs=rngs)
        self.sortie = nnx.Linear(128, 10, rngs=rngs)

    def __call__(self, x: jax.Array) -> jax.Array:
        x = nnx.relu(self.norme(self.cachee(x)))
        return self.sortie(self.abandon(x))


modele = MLP(nnx.Rngs(params=0, dropout=1))
# L'état complet est un pytree : on peut le parcourir comme n'importe quelle structure JAX.
params = nnx.state(modele, nnx.Param)
stats = nnx.state(modele, nnx.BatchStat)
print(f"Paramètres entraînables : {sum(p.size for p in jax.tree.leaves(params))}")
print(f"Statistiques de BatchNorm (non entraînables) : {sum(p.size for p in jax.tree.leaves(stats))}")

optimiseur = nnx.Optimizer(modele, optax.adamw(1e-3, weight_decay=1e-4), wrt=nnx.Param)


@nnx.jit  # compile le pas ; les mises à jour de l'état (poids, stats, clés) sont propagées à l'objet
def pas_entrainement(modele: MLP, optimiseur: nnx.Optimizer, x: jax.Array, y: jax.Array) -> jax.Array:
    def perte(m: MLP) -> jax.Array:
        return optax.softmax_cross_entropy_with_integer_labels(m(x), y).mean()

    valeur, grads = nnx.value_and_grad(perte)(modele)
    optimiseur.update(modele, grads)
    return valeur


@nnx.jit
def precision(modele: MLP, x: jax.Array, y: jax.Array) -> jax.Array:
    return jnp.mean(jnp.argmax(modele(x), axis=1) == y)


rng = np.random.default_rng(0)
for epoque in range(20):
    modele.train()  # dropout actif, BatchNorm sur les statistiques du lot (et mise à jour des moyennes)
    ordre = rng.permutation(len(X_train))
    for debut in range(0, len(ordre) - 63, 64):
        lot = ordre[debut : debut + 64]
        valeur = pas_entrainement(modele, optimiseur, X_train[lot], y_train[lot])
    if epoque % 5 == 4:
        modele.eval()  # dropout coupé, BatchNorm sur les moyennes glissantes
        print(f"époque {epoque + 1:2d} : perte {float(valeur):.4f}, précision test {float(precision(modele, X_test, y_test)):.4f}")

modele.eval()
precision_test = float(precision(modele, X_test, y_test))
assert precision_test >= 0.93, precision_test

# En mode évaluation, deux passes donnent le même résultat ; en entraînement, le dropout les distingue.
assert jnp.array_equal(modele(X_test[:4]), modele(X_test[:4]))
modele.train()
assert not jnp.array_equal(modele(X_test[:4]), modele(X_test[:4]))
modele.eval()
print("Mode eval déterministe, mode train aléatoire (dropout) : vérifié")

# --- Le pont vers le JAX fonctionnel : structure + état --------------------------------------------------
graphdef, etat = nnx.split(modele)
print("Types d'état présents :", sorted({type(v).__name__ for v in jax.tree.leaves(etat, is_leaf=lambda v: isinstance(v, nnx.Variable))}))


@jax.jit  # jax.jit ordinaire : la fonction reçoit un pytree et reconstruit le module à l'intérieur
def predire(etat, x):
    return jnp.argmax(nnx.merge(graphdef, etat)(x), axis=1)


assert jnp.array_equal(predire(etat, X_test), jnp.argmax(modele(X_test), axis=1))
print(f"Précision de test : {precision_test:.4f} (identique via split/merge et jax.jit)")
