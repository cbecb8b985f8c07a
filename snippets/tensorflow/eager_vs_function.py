# /// script
# requires-python = ">=3.11"
# dependencies = ["tensorflow==2.21.0", "numpy>=2"]
#
# [tool.kb]
# title = "Exécution eager ou tf.function : même calcul, deux modes"
# illustrates = ["Exécution eager", "Graphe de calcul statique", "Compilation JIT", "XLA", "TensorFlow pour l'apprentissage profond"]
# device = "cpu"
# timeout = 180
# env = { TF_CPP_MIN_LOG_LEVEL = "2" }
# ///
"""Le même calcul exécuté en mode eager, sous ``tf.function`` et avec XLA.

En mode eager (par défaut), chaque opération est lancée immédiatement depuis
Python. ``tf.function`` trace la fonction Python une fois pour construire un
graphe, puis rejoue ce graphe sans repasser par l'interpréteur ; avec
``jit_compile=True``, le graphe est en plus compilé par XLA, qui peut fusionner
les opérations. On vérifie que les trois modes donnent le même résultat, puis
on mesure le temps médian d'un appel, en mettant à part le premier appel (qui
paie le traçage et la compilation).

Les gains dépendent fortement du calcul : ici, beaucoup de petites opérations
sur de petits tenseurs, cas où le coût de Python domine et où le graphe aide.
Sur de grosses multiplications de matrices, les trois modes se rapprochent.
Les temps affichés varient d'une machine et d'une exécution à l'autre.
"""

import statistics
import time

import numpy as np
import tensorflow as tf

tf.random.set_seed(0)
tf.config.experimental.enable_op_determinism()

N_ETAPES = 60  # nombre de petites itérations dans le calcul
N_REPETITIONS = 30  # appels chronométrés pour chaque mode


def integrer(etat, poids):
    """Une petite récurrence : beaucoup d'opérations élémentaires enchaînées."""
    for _ in range(N_ETAPES):  # boucle Python : déroulée au moment du traçage
        etat = etat + 0.01 * tf.tanh(tf.matmul(etat, poids)) - 0.001 * etat**3
    return tf.reduce_sum(etat, axis=1)


# Trois versions de la même fonction Python.
version_graphe = tf.function(integrer)
version_xla = tf.function(integrer, jit_compile=True)

rng = np.random.default_rng(0)
etat0 = tf.constant(rng.normal(size=(8, 32)), dtype=tf.float32)
poids = tf.constant(rng.normal(scale=0.2, size=(32, 32)), dtype=tf.float32)


def chronometrer(fonction):
    """Renvoie (durée du premier appel, durée médiane des appels suivants) en ms."""
    debut = time.perf_counter()
    fonction(etat0, poids).numpy()  # .numpy() force la fin du calcul
    premier = (time.perf_counter() - debut) * 1e3
    durees = []
    for _ in range(N_REPETITIONS):
        debut = time.perf_counter()
        fonction(etat0, poids).numpy()
        durees.append((time.perf_counter() - debut) * 1e3)
    return premier, statistics.median(durees)


# --- 1. Les résultats concordent -------------------------------------------------
r_eager = integrer(etat0, poids).numpy()
r_graphe = version_graphe(etat0, poids).numpy()
r_xla = version_xla(etat0, poids).numpy()
print("Mode eager actif par défaut :", tf.executing_eagerly())
print("Somme des sorties (eager)        :", round(float(r_eager.sum()), 4))
print("eager ≈ tf.function              :", np.allclose(r_eager, r_graphe, atol=1e-5))
print("eager ≈ tf.function + XLA        :", np.allclose(r_eager, r_xla, atol=1e-4))
assert np.allclose(r_eager, r_graphe, atol=1e-5)
assert np.allclose(r_eager, r_xla, atol=1e-4)

# Le graphe tracé : une seule fonction concrète pour cette signature d'entrée.
concrete = version_graphe.get_concrete_function(etat0, poids)
print("Opérations dans le graphe tracé  :", len(concrete.graph.get_operations()))

# --- 2. Mesure des temps ------------------------------------------------------------
# On recrée les fonctions pour que leur premier appel inclue bien le traçage.
modes = {
    "eager": integrer,
    "tf.function": tf.function(integrer),
    "tf.function + XLA": tf.function(integrer, jit_compile=True),
}
resultats = {nom: chronometrer(fonction) for nom, fonction in modes.items()}

print(f"\n{'mode':<20}{'1er appel (ms)':>16}{'médiane (ms)':>14}")
for nom, (premier, mediane) in resultats.items():
    print(f"{nom:<20}{premier:>16.1f}{mediane:>14.2f}")

base = resultats["eager"][1]
for nom in ("tf.function", "tf.function + XLA"):
    rapport = base / resultats[nom][1]
    print(f"Rapport eager / {nom} (médianes) : {rapport:.1f}x")
print(
    "Le premier appel d'une tf.function comprend le traçage (et la compilation XLA) ;"
    " ce coût n'est rentable que si la fonction est appelée de nombreuses fois."
)
