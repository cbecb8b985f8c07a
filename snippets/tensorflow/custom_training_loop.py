# /// script
# requires-python = ">=3.11"
# dependencies = ["tensorflow==2.21.0", "scikit-learn>=1.5", "numpy>=2"]
#
# [tool.kb]
# title = "Boucle d'entraînement sur mesure avec GradientTape"
# illustrates = ["TensorFlow pour l'apprentissage profond", "Différentiation automatique", "Descente de gradient", "Optimiseurs", "API de bas niveau"]
# device = "cpu"
# timeout = 180
# env = { TF_CPP_MIN_LOG_LEVEL = "2", KERAS_BACKEND = "tensorflow" }
# ///
"""Écrire soi-même la boucle d'entraînement au lieu d'appeler ``model.fit``.

Le modèle reste un modèle Keras, mais chaque étape est explicite : passage
avant sous un ``tf.GradientTape``, calcul de la perte, gradients, puis mise à
jour des poids par un optimiseur Keras (``apply_gradients``). L'étape est
compilée en graphe avec ``tf.function``. Données : les chiffres manuscrits
8×8 de scikit-learn (1 797 images).
"""

import keras
import numpy as np
import tensorflow as tf
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

keras.utils.set_random_seed(0)  # graines de Python, NumPy et TensorFlow
tf.config.experimental.enable_op_determinism()

# --- Données -------------------------------------------------------------------------
chiffres = load_digits()
X = (chiffres.data / 16.0).astype("float32")  # pixels ramenés dans [0, 1]
y = chiffres.target.astype("int64")
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)

# tf.data : mélange reproductible (graine fixée), lots de 32.
train_ds = tf.data.Dataset.from_tensor_slices((X_train, y_train)).shuffle(len(X_train), seed=0).batch(32)
test_ds = tf.data.Dataset.from_tensor_slices((X_test, y_test)).batch(256)

# --- Modèle, perte, optimiseur, métriques ------------------------------------------
model = keras.Sequential(
    [
        keras.Input(shape=(64,)),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(10),  # logits : la softmax est intégrée à la perte
    ]
)
perte_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
optimiseur = keras.optimizers.Adam(learning_rate=1e-3)
perte_moyenne = keras.metrics.Mean()
precision_train = keras.metrics.SparseCategoricalAccuracy()
precision_test = keras.metrics.SparseCategoricalAccuracy()


@tf.function  # l'étape est tracée une fois puis exécutée comme un graphe
def etape_entrainement(x, y):
    with tf.GradientTape() as tape:
        logits = model(x, training=True)
        perte = perte_fn(y, logits)
    gradients = tape.gradient(perte, model.trainable_variables)
    optimiseur.apply_gradients(zip(gradients, model.trainable_variables, strict=True))
    perte_moyenne.update_state(perte)
    precision_train.update_state(y, logits)


@tf.function
def etape_evaluation(x, y):
    precision_test.update_state(y, model(x, training=False))


# --- Boucle -------------------------------------------------------------------------------
for epoque in range(1, 16):
    for metrique in (perte_moyenne, precision_train, precision_test):
        metrique.reset_state()
    for x_lot, y_lot in train_ds:  # le jeu est remélangé à chaque époque
        etape_entrainement(x_lot, y_lot)
    for x_lot, y_lot in test_ds:
        etape_evaluation(x_lot, y_lot)
    if epoque % 3 == 0 or epoque == 1:
        print(
            f"Époque {epoque:2d} | perte {float(perte_moyenne.result()):.4f}"
            f" | précision entraînement {float(precision_train.result()):.4f}"
            f" | précision test {float(precision_test.result()):.4f}"
        )

print("Nombre de mises à jour effectuées par l'optimiseur :", int(optimiseur.iterations))
precision_finale = float(precision_test.result())
# Contrôle indépendant des métriques Keras : argmax des logits comparé aux étiquettes.
predictions = np.argmax(model.predict(X_test, verbose=0), axis=1)
assert np.isclose(precision_finale, np.mean(predictions == y_test))
print(f"Précision finale sur le jeu de test : {precision_finale:.4f}")
assert precision_finale >= 0.9, precision_finale
