# /// script
# requires-python = ">=3.11"
# dependencies = ["optax>=0.2.4", "jax>=0.10", "numpy>=2", "matplotlib>=3.8"]
#
# [tool.kb]
# title = "Optax : calendriers de taux d'apprentissage, chaînes de transformations et groupes de paramètres"
# illustrates = ["Optax", "Taux d'apprentissage", "Optimiseurs", "Taux d'apprentissage différentiels", "JAX"]
# device = "cpu"
# timeout = 120
# env = { OMP_NUM_THREADS = "2", JAX_PLATFORMS = "cpu" }
# ///
"""Trois idées d'Optax, vérifiées sur des valeurs calculées à la main.

1. Un calendrier (*schedule*) est une fonction ``pas → taux`` : échauffement
   linéaire puis décroissance cosinus (``warmup_cosine_decay_schedule``),
   paliers (``piecewise_constant_schedule``), raccord de deux calendriers
   (``join_schedules``). On trace les courbes.
2. Un optimiseur est une chaîne de transformations du gradient
   (``optax.chain``) ; ``inject_hyperparams`` expose le taux courant dans
   l'état, ce qui permet de le lire (ou de le changer) pendant l'entraînement.
3. ``multi_transform`` applique un optimiseur différent à chaque groupe de
   paramètres, par exemple un taux nul pour des couches gelées.
"""

import math

import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt
import numpy as np
import optax

PAS = 1000

# --- 1. Calendriers -----------------------------------------------------------------------------------
cosinus = optax.warmup_cosine_decay_schedule(init_value=0.0, peak_value=1e-3, warmup_steps=100, decay_steps=PAS, end_value=1e-5)
paliers = optax.piecewise_constant_schedule(init_value=1e-3, boundaries_and_scales={400: 0.1, 800: 0.1})
raccord = optax.join_schedules(
    [optax.linear_schedule(0.0, 1e-3, 100), optax.exponential_decay(1e-3, transition_steps=100, decay_rate=0.7)], boundaries=[100]
)

# Vérifications contre les formules : milieu de l'échauffement, pic, milieu de la décroissance cosinus.
assert math.isclose(float(cosinus(50)), 5e-4, rel_tol=1e-5)
assert math.isclose(float(cosinus(100)), 1e-3, rel_tol=1e-5)
milieu = 1e-5 + (1e-3 - 1e-5) * 0.5 * (1 + math.cos(math.pi * 0.5))  # à mi-chemin entre le pas 100 et le pas 1000
assert math.isclose(float(cosinus(550)), milieu, rel_tol=1e-4)
assert math.isclose(float(paliers(500)), 1e-4, rel_tol=1e-5) and math.isclose(float(paliers(900)), 1e-5, rel_tol=1e-4)
# join_schedules repart de 0 à la frontière : au pas 300, l'exponentielle en est à son pas 200.
assert math.isclose(float(raccord(300)), 1e-3 * 0.7**2, rel_tol=1e-5)
for nom, f in (("échauffement + cosinus", cosinus), ("paliers", paliers), ("linéaire puis exponentiel", raccord)):
    print(f"{nom:26s} : " + ", ".join(f"pas {p} → {float(f(p)):.2e}" for p in (0, 50, 100, 550, 999)))

pas = np.arange(PAS)
plt.figure(figsize=(6, 4))
for nom, f in (("échauffement + cosinus", cosinus), ("paliers", paliers), ("linéaire puis exponentiel", raccord)):
    plt.plot(pas, jax.vmap(f)(pas), label=nom)  # un calendrier est vectorisable
plt.xlabel("pas")
plt.ylabel("taux d'apprentissage")
plt.title("Calendriers Optax")
plt.legend()
plt.tight_layout()
plt.savefig("calendriers.png", dpi=100)
print("Figure enregistrée : calendriers.png")

# --- 2. Chaîne de transformations et taux lisible dans l'état ------------------------------------------------
# Même forme de calendrier, avec un pic plus haut adapté à ce petit problème (Adam avance d'environ un taux par pas).
calendrier = optax.warmup_cosine_decay_schedule(init_value=0.0, peak_value=0.05, warmup_steps=100, decay_steps=PAS, end_value=1e-4)
optimiseur = optax.chain(
    optax.clip_by_global_norm(1.0),  # d'abord l'écrêtage de la norme globale du gradient
    optax.inject_hyperparams(optax.adamw)(learning_rate=calendrier, weight_decay=1e-4),
)
cible = jnp.array([3.0, -2.0])
params = {"w": jnp.zeros(2)}
etat = optimiseur.init(params)


@jax.jit
def pas_opt(params, etat):
    grads = jax.grad(lambda p: jnp.sum((p["w"] - cible) ** 2))(params)
    maj, etat = optimiseur.update(grads, etat, params)
    return optax.apply_updates(params, maj), etat


for i in range(PAS):
    params, etat = pas_opt(params, etat)
    if i in (0, 99, 549):
        # etat[1] est l'état de inject_hyperparams : le taux utilisé au pas qui vient d'être fait.
        print(f"pas {i:3d} : taux courant {float(etat[1].hyperparams['learning_rate']):.2e}, w = {[round(float(v), 3) for v in params['w']]}")
print(f"Après {PAS} pas : w = {[round(float(v), 3) for v in params['w']]} (cible {cible.tolist()})")
assert jnp.allclose(params["w"], cible, atol=0.05)

# --- 3. Un optimiseur par groupe de paramètres -----------------------------------------------------------------
params = {"corps": {"W": jnp.ones((3, 3))}, "tete": {"W": jnp.ones((3, 2))}}
etiquettes = {"corps": {"W": "gele"}, "tete": {"W": "entraine"}}
groupes = optax.multi_transform({"gele": optax.set_to_zero(), "entraine": optax.sgd(0.1)}, etiquettes)
etat = groupes.init(params)
grads = jax.tree.map(jnp.ones_like, params)
maj, _ = groupes.update(grads, etat, params)
nouveaux = optax.apply_updates(params, maj)
print("Corps gelé inchangé :", bool(jnp.all(nouveaux["corps"]["W"] == 1.0)), "; tête mise à jour : 1 − 0,1 × 1 =", round(float(nouveaux["tete"]["W"][0, 0]), 6))
assert jnp.all(nouveaux["corps"]["W"] == 1.0) and jnp.allclose(nouveaux["tete"]["W"], 0.9)
