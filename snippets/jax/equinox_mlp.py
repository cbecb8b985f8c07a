# /// script
# requires-python = ">=3.11"
# dependencies = ["equinox>=0.13", "jax>=0.10", "optax>=0.2.4", "scikit-learn>=1.5", "numpy>=2"]
#
# [tool.kb]
# title = "Equinox : un modèle qui est un pytree, entraîné avec filter_jit et Optax"
# illustrates = ["Equinox", "JAX", "Optax", "Différentiation automatique"]
# device = "cpu"
# timeout = 180
# env = { OMP_NUM_THREADS = "2", JAX_PLATFORMS = "cpu" }
# ///
"""Avec Equinox, un modèle est un pytree : une dataclass immuable dont les feuilles sont des tableaux.

Pas d'état caché ni de module « lié » : le modèle se passe en argument,
``jax.grad`` le différencie comme n'importe quel pytree, et une mise à jour
renvoie un *nouveau* modèle. Les feuilles qui ne sont pas des tableaux (la
fonction d'activation, par exemple) sont mises de côté par les variantes
« filtrées » ``eqx.filter_jit`` et ``eqx.filter_value_and_grad``. On classe
les vins de scikit-learn (13 mesures chimiques, 3 cépages), puis on modifie
une feuille avec ``eqx.tree_at`` et on sérialise le modèle.
"""

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import optax
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

X, y = load_wine(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
scaler = StandardScaler().fit(X_train)
X_train, X_test = (jnp.asarray(scaler.transform(a), dtype=jnp.float32) for a in (X_train, X_test))
y_train, y_test = jnp.asarray(y_train), jnp.asarray(y_test)


class Classifieur(eqx.Module):
    """Les champs déclarés sont les feuilles du pytree ; __init__ les remplit une fois pour toutes."""

    couches: list[eqx.nn.Linear]
    echelle: jax.Array  # une température apprise, pour montrer un paramètre « nu »

    def __init__(self, cle: jax.Array) -> None:
        k1, k2 = jax.random.split(cle)
        self.couches = [eqx.nn.Linear(13, 32, key=k1), eqx.nn.Linear(32, 3, key=k2)]
        self.echelle = jnp.array(1.0)

    def __call__(self, x: jax.Array) -> jax.Array:  # un seul exemple : le lot viendra de jax.vmap
        x = jax.nn.tanh(self.couches[0](x))
        return self.couches[1](x) * self.echelle


modele = Classifieur(jax.random.PRNGKey(0))
feuilles = jax.tree.leaves(eqx.filter(modele, eqx.is_array))
print(f"Feuilles tableaux : {len(feuilles)}, paramètres : {sum(f.size for f in feuilles)}")
print(modele.couches[0])  # un module s'affiche comme une dataclass

optimiseur = optax.adam(1e-2)
etat_opt = optimiseur.init(eqx.filter(modele, eqx.is_array))


def perte(modele: Classifieur, x: jax.Array, y: jax.Array) -> jax.Array:
    logits = jax.vmap(modele)(x)  # vmap sur la dimension du lot
    return optax.softmax_cross_entropy_with_integer_labels(logits, y).mean()


@eqx.filter_jit  # trace les tableaux, considère le reste (fonctions, entiers) comme statique
def pas(modele, etat_opt, x, y):
    valeur, grads = eqx.filter_value_and_grad(perte)(modele, x, y)
    mises_a_jour, etat_opt = optimiseur.update(grads, etat_opt, eqx.filter(modele, eqx.is_array))
    return eqx.apply_updates(modele, mises_a_jour), etat_opt, valeur  # un nouveau modèle


def precision(modele, x, y) -> float:
    return float(jnp.mean(jnp.argmax(jax.vmap(modele)(x), axis=1) == y))


initial = modele
rng = np.random.default_rng(0)
for epoque in range(60):
    ordre = rng.permutation(len(X_train))
    for debut in range(0, len(ordre) - 15, 16):
        lot = ordre[debut : debut + 16]
        modele, etat_opt, valeur = pas(modele, etat_opt, X_train[lot], y_train[lot])
    if epoque % 20 == 19:
        print(f"époque {epoque + 1} : perte {float(valeur):.4f}, précision test {precision(modele, X_test, y_test):.4f}")

# Immuabilité : l'ancien modèle n'a pas changé, le nouveau est un autre objet.
assert initial is not modele and float(initial.echelle) == 1.0
print(f"Échelle apprise : {float(modele.echelle):.3f} (l'objet initial vaut toujours {float(initial.echelle)})")
p = precision(modele, X_test, y_test)
assert p >= 0.95, p

# eqx.tree_at : « copie avec une feuille remplacée », ici on fige l'échelle à 1.
remplace = eqx.tree_at(lambda m: m.echelle, modele, jnp.array(1.0))
print(f"Après tree_at (échelle = 1) : précision {precision(remplace, X_test, y_test):.4f} (l'argmax ne dépend pas d'une échelle positive)")
assert precision(remplace, X_test, y_test) == p

# Sérialisation des feuilles tableaux ; relecture dans un squelette de même structure.
eqx.tree_serialise_leaves("classifieur.eqx", modele)
relu = eqx.tree_deserialise_leaves("classifieur.eqx", Classifieur(jax.random.PRNGKey(1)))
identiques = all(jnp.array_equal(a, b) for a, b in zip(jax.tree.leaves(modele), jax.tree.leaves(relu), strict=True))
print("Sérialisation / relecture identiques :", identiques)
assert identiques
print(f"Précision de test : {p:.4f}")
