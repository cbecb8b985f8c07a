# /// script
# requires-python = ">=3.11"
# dependencies = ["tensorflow==2.21.0", "numpy>=2"]
#
# [tool.kb]
# title = "GradientTape : calculer des gradients en TensorFlow"
# illustrates = ["Différentiation automatique", "TensorFlow pour l'apprentissage profond", "Exécution eager"]
# device = "cpu"
# timeout = 120
# env = { TF_CPP_MIN_LOG_LEVEL = "2" }
# ///
"""Différentiation automatique avec ``tf.GradientTape``.

Le « ruban » enregistre les opérations exécutées dans son bloc ``with`` puis
les rejoue à l'envers pour obtenir les gradients (mode inverse). On vérifie
ici le résultat contre la dérivée calculée à la main, puis on montre trois
usages courants : ruban persistant (plusieurs appels à ``gradient``),
``watch`` pour suivre un tenseur constant, et dérivée seconde par rubans
imbriqués.
"""

import numpy as np
import tensorflow as tf

tf.random.set_seed(0)


def f(x):
    """f(x) = x³ · sin(x) + 2x."""
    return x**3 * tf.sin(x) + 2.0 * x


def f_prime(x):
    """Dérivée écrite à la main : 3x² sin(x) + x³ cos(x) + 2."""
    return 3.0 * x**2 * np.sin(x) + x**3 * np.cos(x) + 2.0


# --- 1. Gradient d'une fonction scalaire, élément par élément ------------------
# Les tf.Variable entraînables sont suivies automatiquement par le ruban.
x = tf.Variable(np.linspace(-2.0, 2.0, 5), dtype=tf.float64)
with tf.GradientTape() as tape:
    y = f(x)
# y est un vecteur : tape.gradient dérive la somme de ses composantes,
# ce qui donne ici la dérivée en chaque point (les composantes sont indépendantes).
dy_dx = tape.gradient(y, x)
attendu = f_prime(x.numpy())
print("x                  :", np.round(x.numpy(), 3).tolist())
print("Gradient (ruban)   :", np.round(dy_dx.numpy(), 6).tolist())
print("Dérivée analytique :", np.round(attendu, 6).tolist())
ecart = np.max(np.abs(dy_dx.numpy() - attendu))
print("Écart maximal inférieur à 1e-10 :", bool(ecart < 1e-10))
assert ecart < 1e-10

# --- 2. Tenseur constant : il faut le « regarder » avec watch -------------------
c = tf.constant(3.0)
with tf.GradientTape() as tape:
    sans_watch = c**2
print("\nSans watch, gradient par rapport à une constante :", tape.gradient(sans_watch, c))
with tf.GradientTape() as tape:
    tape.watch(c)
    avec_watch = c**2
print("Avec watch, d(c²)/dc en c = 3 :", float(tape.gradient(avec_watch, c)))

# --- 3. Ruban persistant : plusieurs gradients à partir d'un seul enregistrement --
# Par défaut, les ressources du ruban sont libérées au premier appel à gradient().
w = tf.Variable(2.0)
b = tf.Variable(-1.0)
with tf.GradientTape(persistent=True) as tape:
    z = w * b  # z = -2
    perte1 = z**2  # d/dw = 2 z b = 4      ; d/db = 2 z w = -8
    perte2 = tf.exp(w + b)  # d/dw = d/db = e^(w+b) = e
g1 = tape.gradient(perte1, [w, b])
g2 = tape.gradient(perte2, [w, b])
del tape  # libère explicitement la mémoire du ruban persistant
print("\nRuban persistant :")
print("  d(perte1)/d(w, b) :", [round(float(g), 4) for g in g1])
print("  d(perte2)/d(w, b) :", [round(float(g), 4) for g in g2], "(e ≈ 2.7183)")
assert np.allclose([float(g) for g in g1], [4.0, -8.0])

# --- 4. Dérivée seconde : un ruban dans un ruban --------------------------------
t = tf.Variable(1.5, dtype=tf.float64)
with tf.GradientTape() as externe:
    with tf.GradientTape() as interne:
        y = f(t)
    dy = interne.gradient(y, t)
d2y = externe.gradient(dy, t)
# f''(x) = 6x sin(x) + 6x² cos(x) - x³ sin(x)
v = t.numpy()
d2_attendu = 6 * v * np.sin(v) + 6 * v**2 * np.cos(v) - v**3 * np.sin(v)
print(f"\nf''(1.5) par rubans imbriqués : {float(d2y):.6f} | analytique : {d2_attendu:.6f}")
assert abs(float(d2y) - d2_attendu) < 1e-10

# --- 5. Gradient qui ne passe pas : None plutôt qu'une erreur ---------------------
# Un calcul sorti de TensorFlow (ici via NumPy) coupe la chaîne de dérivation.
u = tf.Variable(1.0)
with tf.GradientTape() as tape:
    coupe = tf.constant(np.square(u.numpy()))
print("\nGradient à travers un passage par NumPy :", tape.gradient(coupe, u))
