# /// script
# requires-python = ">=3.11"
# dependencies = ["tensorflow==2.21.0", "scikit-learn>=1.5", "numpy>=2"]
#
# [tool.kb]
# title = "Convertir un modèle Keras en LiteRT (TensorFlow Lite) et l'exécuter"
# illustrates = ["LiteRT (ex-TensorFlow Lite)", "Déploiement et inférence en production", "SavedModel", "TensorFlow pour l'apprentissage profond"]
# device = "cpu"
# timeout = 180
# env = { TF_CPP_MIN_LOG_LEVEL = "2", KERAS_BACKEND = "tensorflow" }
# ///
"""Conversion d'un petit modèle vers le format ``.tflite`` de LiteRT.

Étapes : entraîner un petit classifieur Keras sur les chiffres 8×8 de
scikit-learn, l'exporter en SavedModel, le convertir avec
``tf.lite.TFLiteConverter`` (en float32, puis avec quantification dynamique
des poids en int8), exécuter chaque fichier avec l'interpréteur et comparer
les sorties à celles du modèle d'origine. Tout se fait hors ligne.

Note sur les versions : le convertisseur fait toujours partie de TensorFlow
2.21, mais ``tf.lite.Interpreter`` est déprécié (il affiche un avertissement
sur la sortie d'erreur) au profit du paquet séparé ``ai-edge-litert``
(``from ai_edge_litert.interpreter import Interpreter``), qui offre la même
API. L'exemple utilise ce dernier s'il est installé, sinon celui de TensorFlow.
"""

from pathlib import Path

import keras
import numpy as np
import tensorflow as tf
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

try:  # interpréteur LiteRT autonome, s'il est installé
    from ai_edge_litert.interpreter import Interpreter

    ORIGINE_INTERPRETEUR = "ai_edge_litert"
except ImportError:  # sinon, celui qui est encore livré avec TensorFlow
    Interpreter = tf.lite.Interpreter
    ORIGINE_INTERPRETEUR = "tf.lite (déprécié)"

keras.utils.set_random_seed(0)
tf.config.experimental.enable_op_determinism()

# --- Un petit modèle entraîné -----------------------------------------------------------
chiffres = load_digits()
X = (chiffres.data / 16.0).astype("float32")
X_train, X_test, y_train, y_test = train_test_split(X, chiffres.target, test_size=0.25, random_state=0, stratify=chiffres.target)

model = keras.Sequential(
    [
        keras.Input(shape=(64,)),
        keras.layers.Dense(32, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ]
)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(X_train, y_train, epochs=15, batch_size=32, verbose=0)
proba_keras = model.predict(X_test, verbose=0)
print(f"Précision du modèle Keras : {np.mean(proba_keras.argmax(1) == y_test):.4f}")

# --- Conversion -------------------------------------------------------------------------------
# Passer par un SavedModel évite les messages qu'affiche from_keras_model.
model.export("chiffres_savedmodel", format="tf_saved_model", verbose=False)

convertisseur = tf.lite.TFLiteConverter.from_saved_model("chiffres_savedmodel")
octets_float = convertisseur.convert()  # flatbuffer, sous forme de bytes

convertisseur_q = tf.lite.TFLiteConverter.from_saved_model("chiffres_savedmodel")
convertisseur_q.optimizations = [tf.lite.Optimize.DEFAULT]  # poids stockés en int8
octets_quant = convertisseur_q.convert()

Path("chiffres.tflite").write_bytes(octets_float)
Path("chiffres_int8.tflite").write_bytes(octets_quant)
nb_parametres = model.count_params()
print(f"Paramètres du modèle : {nb_parametres} (soit {4 * nb_parametres} octets en float32)")
print(f"Taille de chiffres.tflite      : {len(octets_float)} octets")
print(f"Taille de chiffres_int8.tflite : {len(octets_quant)} octets")


# --- Inférence avec l'interpréteur -----------------------------------------------------------
def predire(contenu: bytes, x: np.ndarray) -> np.ndarray:
    """Exécute un modèle .tflite sur un lot complet et renvoie ses sorties."""
    interpreteur = Interpreter(model_content=contenu)
    entree = interpreteur.get_input_details()[0]
    sortie = interpreteur.get_output_details()[0]
    # La forme d'entrée enregistrée est (1, 64) ; on l'adapte à la taille du lot.
    interpreteur.resize_tensor_input(entree["index"], list(x.shape))
    interpreteur.allocate_tensors()
    interpreteur.set_tensor(entree["index"], x)
    interpreteur.invoke()
    return interpreteur.get_tensor(sortie["index"])


print("\nInterpréteur utilisé :", ORIGINE_INTERPRETEUR)
for nom, contenu, tolerance in [("float32", octets_float, 1e-5), ("int8 dynamique", octets_quant, 5e-2)]:
    proba = predire(contenu, X_test)
    ecart = float(np.max(np.abs(proba - proba_keras)))
    accord = float(np.mean(proba.argmax(1) == proba_keras.argmax(1)))
    print(f"[{nom}] écart maximal < {tolerance:g} : {ecart < tolerance}", end="")
    print(f" | mêmes classes que Keras : {accord:.2%} | précision : {np.mean(proba.argmax(1) == y_test):.4f}")
    assert ecart < tolerance, (nom, ecart)
