# /// script
# requires-python = ">=3.11"
# dependencies = ["grain>=0.2.12", "jax>=0.10", "optax>=0.2.4", "scikit-learn>=1.5", "numpy>=2"]
#
# [tool.kb]
# title = "Grain : un pipeline de données déterministe et reprenable pour JAX"
# illustrates = ["Grain", "JAX", "Optax"]
# device = "cpu"
# timeout = 180
# env = { OMP_NUM_THREADS = "2", JAX_PLATFORMS = "cpu" }
# ///
"""Grain décrit le chargement comme une chaîne d'opérations sur un ``MapDataset`` (accès par indice).

``source`` → ``shuffle(seed)`` → ``random_map`` (augmentation aléatoire mais
reproductible : chaque élément reçoit son propre générateur, dérivé de la
graine et de son indice) → ``batch`` → itération. Tout est fonction de la
graine : deux pipelines de même graine produisent les mêmes lots. L'itérateur
a un état (``get_state``) que l'on peut enregistrer avec un point de contrôle
et restaurer (``set_state``) pour reprendre exactement au même lot. Le
pipeline nourrit enfin un petit modèle JAX sur digits.
"""

import grain
import jax
import jax.numpy as jnp
import numpy as np
import optax
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

X, y = load_digits(return_X_y=True)
X = (X / 16.0).astype(np.float32)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
exemples = [{"image": x, "label": np.int32(t)} for x, t in zip(X_train, y_train, strict=True)]


def bruiter(exemple: dict, rng: np.random.Generator) -> dict:
    """Augmentation : un bruit gaussien léger, tiré du générateur propre à cet élément."""
    return {"image": exemple["image"] + rng.normal(0, 0.05, 64).astype(np.float32), "label": exemple["label"]}


def pipeline(graine: int, epoques: int = 1) -> grain.MapDataset:
    return (
        grain.MapDataset.source(exemples)  # toute séquence indexable convient (ici une liste en mémoire)
        .shuffle(seed=graine)  # permutation globale, recalculée différemment à chaque époque
        .repeat(epoques)
        .random_map(bruiter, seed=graine)
        .batch(64, drop_remainder=True)  # empile les champs : dictionnaire de tableaux (64, …)
    )


# shuffle avant repeat : chaque époque a sa propre permutation (et chacune contient tous les éléments).
ordre = grain.MapDataset.source(list(range(10))).shuffle(seed=0).repeat(2)
epoque1, epoque2 = [ordre[i] for i in range(10)], [ordre[i] for i in range(10, 20)]
print("Deux époques de 10 indices :", epoque1, epoque2)
assert sorted(epoque1) == sorted(epoque2) == list(range(10)) and epoque1 != epoque2

ds = pipeline(0)
print(f"Exemples : {len(exemples)}, lots par époque : {len(ds)}")
premier = ds[0]  # MapDataset : accès direct au lot d'indice 0, sans rien itérer
print("Premier lot :", {k: (v.shape, str(v.dtype)) for k, v in premier.items()}, "étiquettes :", premier["label"][:8])

# Déterminisme : même graine, mêmes lots (ordre et bruit) ; autre graine, autres lots.
assert all(np.array_equal(a["image"], b["image"]) for a, b in zip(pipeline(0), pipeline(0), strict=True))
assert not np.array_equal(pipeline(0)[0]["image"], pipeline(1)[0]["image"])
print("Même graine → mêmes lots ; autre graine → autres lots : vérifié")

# --- Reprise : l'état de l'itérateur tient dans un petit dictionnaire -------------------------------------
iterateur = iter(pipeline(0, epoques=2).to_iter_dataset())
for _ in range(5):
    next(iterateur)
etat = iterateur.get_state()  # à enregistrer avec le point de contrôle du modèle (voir Orbax)
attendus = [next(iterateur)["label"] for _ in range(3)]
nouveau = iter(pipeline(0, epoques=2).to_iter_dataset())
nouveau.set_state(etat)  # un nouvel itérateur repris après le 5e lot
repris = [next(nouveau)["label"] for _ in range(3)]
print("État de l'itérateur :", etat)
assert all(np.array_equal(a, b) for a, b in zip(attendus, repris, strict=True))
print("Reprise après le 5e lot : les 3 lots suivants sont identiques")

# --- Entraînement d'une régression logistique JAX nourrie par Grain -----------------------------------------
params = {"W": jnp.zeros((64, 10)), "b": jnp.zeros(10)}
optimiseur = optax.adam(0.01)
etat_opt = optimiseur.init(params)


@jax.jit
def pas(params, etat_opt, x, y):
    def perte(p):
        return optax.softmax_cross_entropy_with_integer_labels(x @ p["W"] + p["b"], y).mean()

    valeur, grads = jax.value_and_grad(perte)(params)
    maj, etat_opt = optimiseur.update(grads, etat_opt)
    return optax.apply_updates(params, maj), etat_opt, valeur


nb_lots = 0
for lot in pipeline(0, epoques=10).to_iter_dataset():
    params, etat_opt, valeur = pas(params, etat_opt, lot["image"], lot["label"])
    nb_lots += 1
precision = float(jnp.mean(jnp.argmax(X_test @ params["W"] + params["b"], axis=1) == y_test))
print(f"{nb_lots} lots vus ; perte du dernier {float(valeur):.4f} ; précision de test {precision:.4f}")
assert nb_lots == 10 * len(exemples) // 64 and precision > 0.9
