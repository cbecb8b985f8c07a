# /// script
# requires-python = ">=3.11"
# dependencies = ["keras>=3.10", "tensorflow==2.21.0", "torch==2.14.1", "jax>=0.10", "scikit-learn>=1.5", "numpy>=2"]
#
# [tool.kb]
# title = "Keras 3 multi-backend : un seul code pour TensorFlow, PyTorch et JAX"
# illustrates = ["Présentation de Keras", "API de haut niveau", "TensorFlow pour l'apprentissage profond", "Présentation de PyTorch", "JAX"]
# device = "cpu"
# timeout = 180
# env = { TF_CPP_MIN_LOG_LEVEL = "2" }
# matrix = { KERAS_BACKEND = ["torch", "tensorflow", "jax"] }
# ///
"""Le même fichier exécuté avec les trois backends de Keras 3.

Keras lit la variable d'environnement ``KERAS_BACKEND`` au moment de
l'import : ``tensorflow`` (par défaut), ``torch`` ou ``jax``. Le code
ci-dessous n'importe aucun de ces frameworks directement ; il passe par
``keras.ops`` et les couches Keras, et s'exécute donc sans modification sur
chacun. On affiche le backend actif, le type des tenseurs qu'il manipule,
puis on entraîne le même petit réseau sur les chiffres de scikit-learn.

Les précisions obtenues peuvent différer légèrement d'un backend à l'autre
(générateurs aléatoires et noyaux de calcul différents), mais chacune est
reproductible pour un backend donné.
"""

import keras
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

keras.utils.set_random_seed(0)  # fixe aussi la graine du backend actif

backend = keras.backend.backend()
print("Backend Keras actif :", backend)

# keras.ops renvoie des tenseurs natifs du backend.
t = keras.ops.softmax(keras.ops.convert_to_tensor([1.0, 2.0, 3.0]))
print("Type renvoyé par keras.ops :", f"{type(t).__module__.split('.')[0]}.{type(t).__name__}")
print("softmax([1, 2, 3]) =", [round(float(v), 4) for v in keras.ops.convert_to_numpy(t)])

# --- Données -----------------------------------------------------------------------------------
chiffres = load_digits()
X = (chiffres.data / 16.0).astype("float32")
y = chiffres.target
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)

# --- Même modèle, quel que soit le backend ------------------------------------------------------------
model = keras.Sequential(
    [
        keras.Input(shape=(64,)),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ]
)
model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
poids = model.weights[0].value  # variable native sous-jacente
print("Stockage des poids :", f"{type(poids).__module__.split('.')[0]}.{type(poids).__name__}")

historique = model.fit(X_train, y_train, epochs=15, batch_size=32, verbose=0)
_, precision = model.evaluate(X_test, y_test, verbose=0)
print(f"Perte d'entraînement finale : {historique.history['loss'][-1]:.4f}")
print(f"Précision sur le jeu de test ({backend}) : {precision:.4f}")
assert precision >= 0.9, precision
