# /// script
# requires-python = ">=3.11"
# dependencies = ["tensorflow==2.21.0", "scikit-learn>=1.5", "numpy>=2"]
#
# [tool.kb]
# title = "Le même réseau en TensorFlow"
# illustrates = ["Réseau de neurones", "TensorFlow pour l'apprentissage profond", "API de bas niveau", "Différentiation automatique"]
# device = "cpu"
# timeout = 180
# env = { TF_CPP_MIN_LOG_LEVEL = "2", KERAS_BACKEND = "tensorflow" }
# ///
"""Le perceptron multicouche commun à tous les frameworks, écrit en TensorFlow « bas niveau ».

Même contrat que les autres versions : chiffres 8×8 de scikit-learn, pixels
divisés par 16, découpage 75 % / 25 % stratifié (``random_state=0``), réseau
64 → 64 (ReLU) → 10, entropie croisée sur la softmax, Adam (taux 1e-3), lots
de 32, 20 époques. Ici, aucune couche Keras : les poids sont des
``tf.Variable`` initialisées en Glorot uniforme, le passage avant est écrit à
la main, les gradients viennent de ``tf.GradientTape`` et seul l'optimiseur
Adam est emprunté à Keras.
"""

import keras
import numpy as np
import tensorflow as tf
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

keras.utils.set_random_seed(0)
tf.config.experimental.enable_op_determinism()

EPOQUES = 20
TAILLE_LOT = 32

# --- Données (identiques dans toutes les versions) ------------------------------------------
chiffres = load_digits()
X = (chiffres.data / 16.0).astype(np.float32)
y = chiffres.target
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)

# --- Paramètres : de simples variables --------------------------------------------------------
# Glorot uniforme (initialisation par défaut des couches Dense de Keras), biais nuls.
W1 = tf.Variable(keras.initializers.GlorotUniform(seed=0)((64, 64)), name="W1")
b1 = tf.Variable(tf.zeros(64), name="b1")
W2 = tf.Variable(keras.initializers.GlorotUniform(seed=1)((64, 10)), name="W2")
b2 = tf.Variable(tf.zeros(10), name="b2")
parametres = [W1, b1, W2, b2]
print("Nombre de paramètres :", sum(int(tf.size(p)) for p in parametres))


def mlp(x):
    """Passage avant : couche cachée ReLU puis logits (la softmax est dans la perte)."""
    return tf.matmul(tf.nn.relu(tf.matmul(x, W1) + b1), W2) + b2


optimiseur = keras.optimizers.Adam(learning_rate=1e-3)


@tf.function(reduce_retracing=True)
def etape(x, y):
    with tf.GradientTape() as tape:
        logits = mlp(x)
        perte = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    gradients = tape.gradient(perte, parametres)
    optimiseur.apply_gradients(zip(gradients, parametres, strict=True))
    return perte


# --- Entraînement : mélange reproductible à chaque époque --------------------------------------
rng = np.random.default_rng(0)
for epoque in range(1, EPOQUES + 1):
    ordre = rng.permutation(len(X_train))
    pertes = []
    for debut in range(0, len(ordre), TAILLE_LOT):
        idx = ordre[debut : debut + TAILLE_LOT]  # le dernier lot est plus petit
        pertes.append(float(etape(X_train[idx], y_train[idx])))
    if epoque % 5 == 0:
        print(f"Époque {epoque:2d} | perte moyenne {np.mean(pertes):.4f}")

# --- Évaluation --------------------------------------------------------------------------------------
predictions = tf.argmax(mlp(X_test), axis=1).numpy()
precision = float(np.mean(predictions == y_test))
print(f"RESULT framework=tensorflow test_accuracy={precision:.4f} epochs={EPOQUES}")
