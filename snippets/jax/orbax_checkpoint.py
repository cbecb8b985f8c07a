# /// script
# requires-python = ">=3.11"
# dependencies = ["orbax-checkpoint>=0.11", "jax>=0.10", "optax>=0.2.4", "scikit-learn>=1.5", "numpy>=2"]
#
# [tool.kb]
# title = "Orbax : points de contrôle d'un entraînement JAX, reprise après interruption à l'identique"
# illustrates = ["Orbax", "JAX", "Optax"]
# device = "cpu"
# timeout = 180
# env = { OMP_NUM_THREADS = "2", JAX_PLATFORMS = "cpu" }
# ///
"""Un ``CheckpointManager`` d'Orbax enregistre l'état d'entraînement tous les 10 pas et n'en garde que 3.

L'état est un pytree : paramètres, état de l'optimiseur Optax, numéro de pas.
On entraîne une régression logistique multinomiale sur iris, on « interrompt »
l'entraînement au pas 35, on relit le dernier point de contrôle (pas 30) dans
un nouvel état, on reprend, et l'on vérifie que les paramètres finaux sont
exactement ceux d'un entraînement ininterrompu : la reprise est déterministe
parce que tout ce qui influe sur la suite (y compris l'état d'Adam et le pas)
est dans le point de contrôle, et que les lots sont dérivés du numéro de pas.
"""

from pathlib import Path

import jax
import jax.numpy as jnp
import optax
import orbax.checkpoint as ocp
from sklearn.datasets import load_iris
from sklearn.preprocessing import StandardScaler

X, y = load_iris(return_X_y=True)
X = jnp.asarray(StandardScaler().fit_transform(X), dtype=jnp.float32)
y = jnp.asarray(y)
optimiseur = optax.adam(0.05)
PAS_TOTAL = 60


def etat_initial() -> dict:
    params = {"W": jax.random.normal(jax.random.PRNGKey(0), (4, 3)) * 0.1, "b": jnp.zeros(3)}
    return {"params": params, "opt": optimiseur.init(params), "pas": jnp.array(0)}


@jax.jit
def pas_entrainement(etat: dict) -> tuple[dict, jax.Array]:
    # Le lot dépend seulement du numéro de pas : reprendre au pas 30 redonne les mêmes lots.
    lot = jax.random.choice(jax.random.fold_in(jax.random.PRNGKey(1), etat["pas"]), len(X), (32,), replace=False)

    def perte(p):
        return optax.softmax_cross_entropy_with_integer_labels(X[lot] @ p["W"] + p["b"], y[lot]).mean()

    valeur, grads = jax.value_and_grad(perte)(etat["params"])
    maj, opt = optimiseur.update(grads, etat["opt"], etat["params"])
    return {"params": optax.apply_updates(etat["params"], maj), "opt": opt, "pas": etat["pas"] + 1}, valeur


# --- Référence : entraînement sans interruption --------------------------------------------------------
reference = etat_initial()
for _ in range(PAS_TOTAL):
    reference, valeur = pas_entrainement(reference)
print(f"Sans interruption : perte finale {float(valeur):.4f}")

# --- Entraînement avec points de contrôle, interrompu au pas 35 ------------------------------------------
dossier = Path("points_de_controle").absolute()  # Orbax veut un chemin absolu
options = ocp.CheckpointManagerOptions(max_to_keep=3, save_interval_steps=10)
with ocp.CheckpointManager(dossier, options=options) as gestionnaire:
    etat = etat_initial()
    while int(etat["pas"]) < 35:
        etat, valeur = pas_entrainement(etat)
        # save() ne fait rien hors des pas multiples de 10 ; l'écriture est asynchrone.
        gestionnaire.save(int(etat["pas"]), args=ocp.args.StandardSave(etat))
    gestionnaire.wait_until_finished()
    print(f"Interruption au pas {int(etat['pas'])} ; points de contrôle gardés : {gestionnaire.all_steps()}")
    assert gestionnaire.all_steps() == [10, 20, 30]  # le pas 0 n'est pas sauvegardé, 3 gardés au plus
del etat  # l'état en mémoire est « perdu »

print("Contenu du dossier :", sorted(p.name for p in dossier.iterdir()))

# --- Reprise : un nouveau gestionnaire relit le dernier point de contrôle -----------------------------------
with ocp.CheckpointManager(dossier, options=options) as gestionnaire:
    dernier = gestionnaire.latest_step()
    # La structure abstraite (formes et types) indique à Orbax comment reconstruire le pytree.
    abstrait = jax.tree.map(ocp.utils.to_shape_dtype_struct, etat_initial())
    etat = gestionnaire.restore(dernier, args=ocp.args.StandardRestore(abstrait))
    print(f"Reprise au pas {int(etat['pas'])} (dernier point de contrôle : {dernier})")
    while int(etat["pas"]) < PAS_TOTAL:
        etat, valeur = pas_entrainement(etat)
        gestionnaire.save(int(etat["pas"]), args=ocp.args.StandardSave(etat))
    gestionnaire.wait_until_finished()
    print(f"Fin au pas {int(etat['pas'])} ; points de contrôle gardés : {gestionnaire.all_steps()}")
    assert gestionnaire.all_steps() == [40, 50, 60]

identiques = all(jnp.array_equal(a, b) for a, b in zip(jax.tree.leaves(reference), jax.tree.leaves(etat), strict=True))
print(f"Après reprise : perte finale {float(valeur):.4f} ; état identique à la référence : {identiques}")
assert identiques
precision = float(jnp.mean(jnp.argmax(X @ etat["params"]["W"] + etat["params"]["b"], axis=1) == y))
print(f"Précision sur iris : {precision:.4f}")
assert precision > 0.9
