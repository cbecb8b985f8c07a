# /// script
# requires-python = ">=3.11"
# dependencies = ["jax>=0.10", "numpy>=2"]
#
# [tool.kb]
# title = "Pallas en mode interprété : écrire un noyau par blocs et le vérifier sur CPU"
# illustrates = ["Pallas", "JAX", "XLA"]
# device = "cpu"
# timeout = 180
# env = { OMP_NUM_THREADS = "2", JAX_PLATFORMS = "cpu" }
# ///
"""Pallas : des noyaux écrits en Python, compilés pour GPU (Triton, Mosaic GPU) ou TPU (Mosaic).

Sur CPU, ``pallas_call(..., interpret=True)`` exécute le noyau avec des
opérations JAX ordinaires : rien n'est rapide, mais on peut écrire et
*vérifier* un noyau sans accélérateur. Deux noyaux ici :

1. une fusion élément par élément ``gelu(x + b)`` : une seule lecture et une
   seule écriture de chaque valeur au lieu d'un tableau intermédiaire ;
2. un produit matriciel découpé en tuiles : la grille ``(i, j, k)`` et les
   ``BlockSpec`` disent quelle tuile de chaque opérande le noyau voit à
   chaque étape, et l'accumulation sur ``k`` se fait dans la tuile de sortie.

On compare chaque résultat à la version ``jax.numpy``.
"""

import functools

import jax
import jax.numpy as jnp
import numpy as np
from jax.experimental import pallas as pl

cle1, cle2, cle3 = jax.random.split(jax.random.PRNGKey(0), 3)


# --- 1. Fusion élément par élément ---------------------------------------------------------------------
def noyau_gelu_biais(x_ref, b_ref, o_ref):
    """Les *_ref désignent des tampons (en mémoire rapide sur GPU/TPU) ; [...] lit ou écrit tout le bloc."""
    o_ref[...] = jax.nn.gelu(x_ref[...] + b_ref[...])


@jax.jit
def gelu_biais(x: jax.Array, b: jax.Array) -> jax.Array:
    return pl.pallas_call(
        noyau_gelu_biais,
        out_shape=jax.ShapeDtypeStruct(x.shape, x.dtype),
        interpret=True,  # à retirer sur GPU ou TPU
    )(x, b)


x = jax.random.normal(cle1, (8, 128))
b = jax.random.normal(cle2, (8, 128))
ecart = float(jnp.max(jnp.abs(gelu_biais(x, b) - jax.nn.gelu(x + b))))
print(f"gelu(x + b) : noyau Pallas vs jax.numpy, écart maximal {ecart:.1e}")
assert ecart < 1e-6


# --- 2. Produit matriciel par tuiles ------------------------------------------------------------------------
def noyau_matmul(a_ref, b_ref, o_ref):
    # La grille a trois axes (i, j, k) ; le même bloc de sortie (i, j) est revisité pour chaque k.
    @pl.when(pl.program_id(2) == 0)
    def _():
        o_ref[...] = jnp.zeros_like(o_ref)

    o_ref[...] += a_ref[...] @ b_ref[...]


@functools.partial(jax.jit, static_argnames=("tuile",))
def matmul(a: jax.Array, b: jax.Array, tuile: int = 64) -> jax.Array:
    m, k = a.shape
    _, n = b.shape
    grille = (m // tuile, n // tuile, k // tuile)
    return pl.pallas_call(
        noyau_matmul,
        out_shape=jax.ShapeDtypeStruct((m, n), a.dtype),
        grid=grille,
        in_specs=[
            pl.BlockSpec((tuile, tuile), lambda i, j, kk: (i, kk)),  # tuile (i, k) de A
            pl.BlockSpec((tuile, tuile), lambda i, j, kk: (kk, j)),  # tuile (k, j) de B
        ],
        out_specs=pl.BlockSpec((tuile, tuile), lambda i, j, kk: (i, j)),  # tuile (i, j) du résultat
        interpret=True,
    )(a, b)


a = jax.random.normal(cle3, (128, 256))
bm = jax.random.normal(cle1, (256, 192))
resultat = matmul(a, bm)
reference = a @ bm
ecart = float(jnp.max(jnp.abs(resultat - reference)))
print(f"Produit (128×256)·(256×192) en tuiles 64×64 : grille {(128 // 64, 192 // 64, 256 // 64)}, écart maximal {ecart:.1e}")
assert np.allclose(resultat, reference, rtol=1e-4, atol=1e-3)

print("Sortie :", resultat.shape, resultat.dtype, "; appareil :", jax.devices()[0].platform)
