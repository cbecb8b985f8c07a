# /// script
# requires-python = ">=3.11"
# dependencies = ["keras>=3.10", "tensorflow==2.21.0", "scikit-learn>=1.5", "numpy>=2"]
#
# [tool.kb]
# title = "Le même réseau en Keras"
# illustrates = ["Réseau de neurones", "Présentation de Keras", "API de haut niveau"]
# device = "cpu"
# timeout = 180
# env = { TF_CPP_MIN_LOG_LEVEL = "2", KERAS_BACKEND = "tensorflow" }
# ///
"""Le perceptron multicouche commun à tous les frameworks, version Keras.

Même contrat que les autres versions : chiffres 8×8 de scikit-learn, pixels
divisés par 16, découpage 75 % / 25 % stratifié (``random_state=0``), réseau
64 → 64 (ReLU) → 10, entropie croisée sur la softmax, Adam (taux 1e-3), lots
de 32, 20 époques, initialisation Glorot uniforme (celle des couches
``Dense`` par défaut). En Keras, tout tient dans ``Sequential``, ``compile``
et ``fit`` ; le backend est choisi par ``KERAS_BACKEND`` (TensorFlow ici).
"""

import keras
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

keras.utils.set_random_seed(0)  # graines de Python, NumPy et du backend ; fit mélange avec cette graine

EPOQUES = 20

chiffres = load_digits()
X = (chiffres.data / 16.0).astype(np.float32)
y = chiffres.target
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)

model = keras.Sequential(
    [
        keras.Input(shape=(64,)),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(10),  # logits
    ]
)
model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=1e-3),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),  # softmax + entropie croisée
    metrics=["accuracy"],
)
print("Backend :", keras.backend.backend(), "| paramètres :", model.count_params())

historique = model.fit(X_train, y_train, epochs=EPOQUES, batch_size=32, shuffle=True, verbose=0)
for epoque in range(4, EPOQUES, 5):
    print(f"Époque {epoque + 1:2d} | perte moyenne {historique.history['loss'][epoque]:.4f}")

_, precision = model.evaluate(X_test, y_test, verbose=0)
print(f"RESULT framework=keras test_accuracy={precision:.4f} epochs={EPOQUES}")
