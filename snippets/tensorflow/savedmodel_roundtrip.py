# /// script
# requires-python = ">=3.11"
# dependencies = ["tensorflow==2.21.0", "scikit-learn>=1.5", "numpy>=2"]
#
# [tool.kb]
# title = "SavedModel : exporter, recharger et vérifier un modèle"
# illustrates = ["SavedModel", "Déploiement et inférence en production", "TensorFlow pour l'apprentissage profond", "Graphe de calcul statique"]
# device = "cpu"
# timeout = 180
# env = { TF_CPP_MIN_LOG_LEVEL = "2", KERAS_BACKEND = "tensorflow" }
# ///
"""Aller-retour par le format SavedModel.

Deux chemins sont montrés, tous deux écrits dans le répertoire courant :

1. un ``tf.Module`` écrit à la main, dont la méthode décorée par
   ``tf.function(input_signature=...)`` devient une signature exportée, sauvé
   avec ``tf.saved_model.save`` ;
2. un modèle Keras entraîné, exporté pour l'inférence avec ``model.export``.

Chaque SavedModel est rechargé avec ``tf.saved_model.load`` (sans le code
Python d'origine) et ses sorties sont comparées à celles du modèle source.
"""

from pathlib import Path

import keras
import numpy as np
import tensorflow as tf
from sklearn.datasets import load_iris

keras.utils.set_random_seed(0)
tf.config.experimental.enable_op_determinism()


def taille_dossier(dossier: Path) -> int:
    """Taille totale des fichiers d'un dossier, en octets."""
    return sum(f.stat().st_size for f in dossier.rglob("*") if f.is_file())


# --- 1. Un tf.Module ------------------------------------------------------------------
class Standardiseur(tf.Module):
    """Centre-réduit des vecteurs avec une moyenne et un écart-type appris sur des données."""

    def __init__(self, donnees: np.ndarray):
        super().__init__(name="standardiseur")
        self.moyenne = tf.Variable(donnees.mean(axis=0), dtype=tf.float32, trainable=False)
        self.ecart_type = tf.Variable(donnees.std(axis=0), dtype=tf.float32, trainable=False)

    # La signature fixe le type et la forme acceptés : le graphe est tracé une fois pour toutes.
    @tf.function(input_signature=[tf.TensorSpec(shape=[None, 4], dtype=tf.float32)])
    def __call__(self, x):
        return (x - self.moyenne) / self.ecart_type


iris = load_iris()
X = iris.data.astype("float32")
y = iris.target

standardiseur = Standardiseur(X)
dossier_module = Path("standardiseur_savedmodel")
tf.saved_model.save(standardiseur, str(dossier_module))
print("Fichiers du SavedModel :", sorted(p.name for p in dossier_module.iterdir()))

recharge = tf.saved_model.load(str(dossier_module))
# Le code de la classe Standardiseur n'est pas nécessaire : le graphe et les variables suffisent.
print("Type de l'objet rechargé :", type(recharge).__name__)
# Les attributs tf.Variable sont restaurés sous le même nom.
print("Moyenne restaurée :", [round(float(v), 3) for v in recharge.moyenne.numpy()])
ecart = np.max(np.abs(recharge(X).numpy() - standardiseur(X).numpy()))
print("Module : sorties identiques après rechargement :", bool(ecart == 0.0))
assert ecart == 0.0

# --- 2. Un modèle Keras exporté pour l'inférence --------------------------------------------
model = keras.Sequential(
    [
        keras.Input(shape=(4,), name="mesures"),
        keras.layers.Normalization(),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dense(3, activation="softmax"),
    ]
)
model.layers[0].adapt(X)  # moyenne et variance calculées sur les données
model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(X, y, epochs=30, batch_size=16, verbose=0)
_, precision = model.evaluate(X, y, verbose=0)
print(f"\nPrécision du modèle Keras (jeu d'entraînement) : {precision:.3f}")

dossier_keras = Path("iris_savedmodel")
# export() écrit un SavedModel d'inférence avec un point d'entrée « serve ».
model.export(str(dossier_keras), format="tf_saved_model", verbose=False)
# La taille varie de quelques octets d'une exécution à l'autre (métadonnées) : on l'arrondit.
print(f"Taille du SavedModel exporté : environ {taille_dossier(dossier_keras) / 1024:.0f} Kio")

servi = tf.saved_model.load(str(dossier_keras))
signature = servi.signatures["serving_default"]
print("Signature serving_default, entrées :", list(signature.structured_input_signature[1]))
print("Signature serving_default, sorties :", list(signature.structured_outputs))

echantillon = X[::30]  # 5 fleurs réparties dans les trois classes
proba_origine = model.predict(echantillon, verbose=0)
proba_servi = servi.serve(tf.constant(echantillon)).numpy()
print("Classes prédites (origine)  :", proba_origine.argmax(axis=1).tolist())
print("Classes prédites (recharge) :", proba_servi.argmax(axis=1).tolist())
ecart = float(np.max(np.abs(proba_origine - proba_servi)))
print("Keras : écart maximal des probabilités < 1e-6 :", ecart < 1e-6)
assert ecart < 1e-6
