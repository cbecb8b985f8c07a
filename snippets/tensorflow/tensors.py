# /// script
# requires-python = ">=3.11"
# dependencies = ["tensorflow==2.21.0", "numpy>=2"]
#
# [tool.kb]
# title = "Tenseurs TensorFlow : types, formes, diffusion et variables"
# illustrates = ["Tenseur", "TensorFlow pour l'apprentissage profond", "API de bas niveau"]
# device = "cpu"
# timeout = 120
# env = { TF_CPP_MIN_LOG_LEVEL = "2" }
# ///
"""Manipuler des tenseurs TensorFlow.

L'exemple passe en revue ce qu'il faut savoir avant d'écrire un modèle :
création de tenseurs et choix du type (dtype), forme statique et
remodelage, diffusion (broadcasting) lors des opérations élément par
élément, différence entre tenseur immuable et ``tf.Variable`` modifiable,
et aller-retour avec NumPy.
"""

import numpy as np
import tensorflow as tf

tf.random.set_seed(0)

# --- Création et types ------------------------------------------------------
# Un tf.Tensor est immuable ; son type est déduit de la valeur Python fournie.
entiers = tf.constant([[1, 2, 3], [4, 5, 6]])
reels = tf.constant([0.5, 1.5, 2.5])
print("Tenseur d'entiers :", entiers.dtype.name, "forme", entiers.shape.as_list())
print("Tenseur de réels  :", reels.dtype.name, "forme", reels.shape.as_list())

# TensorFlow ne convertit jamais implicitement int32 en float32 : il faut un cast.
try:
    _ = entiers + reels
except (tf.errors.InvalidArgumentError, TypeError) as err:
    print("Addition int32 + float32 refusée :", type(err).__name__)
entiers_f = tf.cast(entiers, tf.float32)
print("Après tf.cast :", entiers_f.dtype.name)

# Quelques constructeurs usuels.
zeros = tf.zeros((2, 3))
uns = tf.ones_like(zeros)
plage = tf.range(12, dtype=tf.float32)
aleatoire = tf.random.uniform((2, 2), minval=-1.0, maxval=1.0, seed=1)
print("zeros + uns =", (zeros + uns).numpy().tolist())
print("tf.range(12) :", plage.numpy().tolist())
print("Forme du tirage aléatoire :", aleatoire.shape.as_list())

# --- Formes et remodelage -----------------------------------------------------
matrice = tf.reshape(plage, (3, 4))
print("\nReshape (3, 4) :\n", matrice.numpy())
print("Rang (nombre d'axes) :", tf.rank(matrice).numpy(), "| nombre d'éléments :", tf.size(matrice).numpy())
print("Transposée, forme :", tf.transpose(matrice).shape.as_list())
# -1 laisse TensorFlow déduire la dimension manquante.
print("Reshape (2, -1), forme :", tf.reshape(matrice, (2, -1)).shape.as_list())
# Ajouter un axe de taille 1 (utile pour fabriquer un lot d'un seul exemple).
print("expand_dims axe 0, forme :", tf.expand_dims(matrice, 0).shape.as_list())

# Indexation et réductions, à la manière de NumPy.
print("Deuxième ligne :", matrice[1].numpy().tolist())
print("Dernière colonne :", matrice[:, -1].numpy().tolist())
print("Somme par colonne :", tf.reduce_sum(matrice, axis=0).numpy().tolist())
print("Moyenne globale :", float(tf.reduce_mean(matrice)))

# --- Diffusion (broadcasting) -------------------------------------------------
# (3, 4) + (4,) : le vecteur est répété sur chaque ligne.
decalage = tf.constant([100.0, 200.0, 300.0, 400.0])
print("\n(3, 4) + (4,) :\n", (matrice + decalage).numpy())
# (3, 1) * (1, 4) donne une table (3, 4) : produit extérieur par diffusion.
colonne = tf.constant([[1.0], [2.0], [3.0]])
ligne = tf.constant([[1.0, 10.0, 100.0, 1000.0]])
table = colonne * ligne
print("(3, 1) * (1, 4) -> forme", table.shape.as_list())
assert np.allclose(table.numpy(), np.outer([1, 2, 3], [1, 10, 100, 1000]))

# Produit matriciel : pas de diffusion sur les deux derniers axes, les dimensions internes doivent concorder.
produit = tf.matmul(matrice, tf.ones((4, 2)))
print("matmul (3, 4) @ (4, 2) -> forme", produit.shape.as_list())

# --- Variables ------------------------------------------------------------------
# Une tf.Variable contient un état modifiable en place : ce sont les poids d'un modèle.
poids = tf.Variable(tf.zeros((2,)), name="poids")
poids.assign([1.0, 2.0])
poids.assign_add([0.5, 0.5])
poids[0].assign(-1.0)  # affectation d'un seul élément
print("\nVariable", poids.name, ":", poids.numpy().tolist(), "| entraînable :", poids.trainable)
# Les opérations sur une variable renvoient des tenseurs ordinaires.
print("Type de poids * 2 :", type(poids * 2).__name__)

# --- Interopérabilité NumPy ----------------------------------------------------
tableau = np.arange(6, dtype=np.float64).reshape(2, 3)
depuis_numpy = tf.convert_to_tensor(tableau)
print("\nDepuis NumPy : dtype conservé =", depuis_numpy.dtype.name)
# Les fonctions NumPy acceptent les tenseurs (et renvoient des ndarray).
print("np.sum sur un tenseur :", np.sum(depuis_numpy))
retour = (depuis_numpy * 2).numpy()
print("Retour en NumPy :", type(retour).__name__, retour.tolist())
assert np.array_equal(retour, tableau * 2)
print("Aller-retour NumPy ↔ TensorFlow vérifié.")
