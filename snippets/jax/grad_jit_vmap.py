# /// script
# requires-python = ">=3.11"
# dependencies = ["jax>=0.10", "numpy>=2"]
#
# [tool.kb]
# title = "Les trois transformations de JAX : grad, jit et vmap"
# illustrates = ["JAX", "Différentiation automatique", "Compilation JIT", "La bibliothèque NumPy"]
# device = "cpu"
# timeout = 120
# env = { OMP_NUM_THREADS = "2", JAX_PLATFORMS = "cpu" }
# ///
"""jax.grad, jax.jit et jax.vmap sur des fonctions pures, avec des vérifications.

grad renvoie une nouvelle fonction qui calcule le gradient ; jit trace la
fonction une fois par forme d'entrée et la compile avec XLA (le premier appel
paie la compilation) ; vmap vectorise une fonction écrite pour un seul exemple.
"""

import time

import jax
import jax.numpy as jnp
import numpy as np

cle = jax.random.PRNGKey(0)  # JAX n'a pas d'état aléatoire global : on passe des clés

# --- 1. jax.grad ------------------------------------------------------------------


def f(x: jax.Array) -> jax.Array:
    """f(x) = sin(x)·exp(-x²/4), dérivée connue analytiquement."""
    return jnp.sin(x) * jnp.exp(-(x**2) / 4)


def f_prime(x: jax.Array) -> jax.Array:
    return (jnp.cos(x) - x / 2 * jnp.sin(x)) * jnp.exp(-(x**2) / 4)


df = jax.grad(f)  # une fonction, pas une valeur
print(f"grad f(0.7)      = {df(0.7):.6f}")
print(f"analytique f'(0.7) = {f_prime(0.7):.6f}")
assert jnp.allclose(df(0.7), f_prime(0.7), atol=1e-6)
# Les transformations se composent : dérivée seconde par grad(grad(f)).
print(f"f''(0.7)         = {jax.grad(jax.grad(f))(0.7):.6f}")

# Gradient par rapport à un dictionnaire de paramètres (un « pytree ») : même structure en sortie.
cle, sous_cle = jax.random.split(cle)
X = jax.random.normal(sous_cle, (50, 3))
y = X @ jnp.array([1.0, -2.0, 0.5]) + 0.3
params = {"w": jnp.zeros(3), "b": jnp.array(0.0)}


def perte(params: dict[str, jax.Array], X: jax.Array, y: jax.Array) -> jax.Array:
    return jnp.mean((X @ params["w"] + params["b"] - y) ** 2)


grads = jax.grad(perte)(params, X, y)
attendu_w = 2 * X.T @ (X @ params["w"] + params["b"] - y) / len(y)
print(f"gradient pytree : clés={sorted(grads)}, forme de w={grads['w'].shape}")
assert jnp.allclose(grads["w"], attendu_w, atol=1e-5)

# --- 2. jax.jit : le premier appel compile, les suivants réutilisent le code -----


def couche_lourde(x: jax.Array) -> jax.Array:
    """Enchaînement d'opérations élémentaires que XLA peut fusionner en un seul noyau."""
    for _ in range(10):
        x = jnp.tanh(x @ x.T / x.shape[1]) @ x
    return x


traces = []


def couche_tracee(x: jax.Array) -> jax.Array:
    traces.append(x.shape)  # effet de bord Python : n'a lieu que pendant la trace, pas à l'exécution
    return couche_lourde(x)


couche_jit = jax.jit(couche_tracee)
cle, sous_cle = jax.random.split(cle)
entree = jax.random.normal(sous_cle, (256, 256))

debut = time.perf_counter()
couche_jit(entree).block_until_ready()  # exécution asynchrone : on attend le résultat
premier = time.perf_counter() - debut

debut = time.perf_counter()
for _ in range(20):
    couche_jit(entree).block_until_ready()
suivants = (time.perf_counter() - debut) / 20

debut = time.perf_counter()
for _ in range(20):
    couche_lourde(entree).block_until_ready()  # sans jit : opération par opération
sans_jit = (time.perf_counter() - debut) / 20

print(f"jit, premier appel (trace + compilation) : {premier * 1000:8.2f} ms")
print(f"jit, appels suivants (moyenne)           : {suivants * 1000:8.2f} ms")
print(f"sans jit (moyenne)                       : {sans_jit * 1000:8.2f} ms")
ecart = float(jnp.max(jnp.abs(couche_jit(entree) - couche_lourde(entree))))
print(f"jit et exécution directe concordent : {ecart < 1e-4}")
assert ecart < 1e-4
# 22 appels jusqu'ici, mais une seule trace ; une nouvelle forme d'entrée en déclenche une autre.
print(f"traces après 22 appels en (256, 256) : {len(traces)}")
couche_jit(entree[:128]).block_until_ready()
print(f"traces après un appel en (128, 256)  : {len(traces)} {traces}")
assert len(traces) == 2

# --- 3. jax.vmap : écrire pour un exemple, exécuter sur un lot ------------------


def distance(a: jax.Array, b: jax.Array) -> jax.Array:
    """Distance euclidienne entre deux vecteurs (un seul exemple)."""
    return jnp.sqrt(jnp.sum((a - b) ** 2))


cle, k1, k2 = jax.random.split(cle, 3)
points = jax.random.normal(k1, (1000, 8))
centre = jax.random.normal(k2, (8,))
# in_axes : on parcourt l'axe 0 des points, le centre est partagé.
distances = jax.vmap(distance, in_axes=(0, None))(points, centre)
reference = np.linalg.norm(np.asarray(points) - np.asarray(centre), axis=1)
print(f"vmap : {points.shape} et {centre.shape} -> {distances.shape}")
assert np.allclose(distances, reference, atol=1e-5)

# vmap compose avec grad : gradients par exemple (impossible avec un simple grad de la moyenne).
grad_par_exemple = jax.vmap(jax.grad(perte), in_axes=(None, 0, 0))(params, X[:, None, :], y[:, None])
print(f"gradients par exemple : w {grad_par_exemple['w'].shape}, b {grad_par_exemple['b'].shape}")
assert jnp.allclose(grad_par_exemple["w"].mean(axis=0), grads["w"], atol=1e-5)
print("Toutes les vérifications sont passées.")
