# /// script
# requires-python = ">=3.11"
# dependencies = ["tensorflow[and-cuda]==2.21.0", "scikit-learn>=1.5", "numpy>=2"]
#
# [tool.kb]
# title = "tf.distribute.MirroredStrategy : entraîner un modèle Keras sur les GPU"
# illustrates = ["Entraînement distribué", "GPU", "TensorFlow pour l'apprentissage profond", "Présentation de Keras"]
# device = "gpu"
# timeout = 300
# env = { TF_CPP_MIN_LOG_LEVEL = "2", KERAS_BACKEND = "tensorflow" }
# ///
"""Entraînement synchrone sur tous les GPU visibles avec ``MirroredStrategy``.

``MirroredStrategy`` place une copie (réplique) du modèle sur chaque GPU :
chaque réplique traite une part du lot, les gradients sont additionnés entre
répliques (all-reduce) puis les mêmes mises à jour sont appliquées partout.
Avec un seul GPU, il y a une seule réplique : le code reste identique et
passe tel quel à plusieurs GPU. Il suffit de créer le modèle, l'optimiseur
et les métriques dans ``strategy.scope()`` ; ``model.fit`` fait le reste.

L'exemple exige un GPU (``device = "gpu"``) : sans GPU, il s'arrête avec un
message explicite plutôt que de se replier en silence sur le CPU.
"""

import sys

import keras
import numpy as np
import tensorflow as tf
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

keras.utils.set_random_seed(0)

gpus = tf.config.list_physical_devices("GPU")
if not gpus:
    sys.exit("Aucun GPU visible par TensorFlow : cet exemple demande au moins un GPU.")
for gpu in gpus:
    # Réserver la mémoire au fur et à mesure plutôt que tout d'un coup.
    tf.config.experimental.set_memory_growth(gpu, True)
print("GPU visibles :", [gpu.name for gpu in gpus])

# Une réplique par GPU visible ; tf.distribute.OneDeviceStrategy("/gpu:0") suffirait pour un seul GPU.
strategy = tf.distribute.MirroredStrategy()
nb_repliques = strategy.num_replicas_in_sync
print("Nombre de répliques synchronisées :", nb_repliques)
print("Périphériques utilisés :", list(strategy.extended.worker_devices))

# --- Données : le lot global est réparti entre les répliques ----------------------------------
chiffres = load_digits()
X = (chiffres.data / 16.0).astype("float32")
X_train, X_test, y_train, y_test = train_test_split(X, chiffres.target, test_size=0.25, random_state=0, stratify=chiffres.target)
taille_lot_par_replique = 32
taille_lot_globale = taille_lot_par_replique * nb_repliques
train_ds = (
    tf.data.Dataset.from_tensor_slices((X_train, y_train))
    .shuffle(len(X_train), seed=0)
    .batch(taille_lot_globale)
    .prefetch(tf.data.AUTOTUNE)
)
test_ds = tf.data.Dataset.from_tensor_slices((X_test, y_test)).batch(256)
print("Taille du lot global :", taille_lot_globale)

# --- Modèle créé dans la portée de la stratégie ---------------------------------------------
with strategy.scope():
    # Variables, optimiseur et métriques créés ici sont répliqués (variables « miroir »).
    model = keras.Sequential(
        [
            keras.Input(shape=(64,)),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(1e-3 * nb_repliques),  # lot plus grand : taux d'apprentissage ajusté
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )

print("Type de variable des poids :", type(model.weights[0].value).__name__)
print("Périphérique du premier poids :", model.weights[0].value.device)

historique = model.fit(train_ds, epochs=20, verbose=0)
_, precision = model.evaluate(test_ds, verbose=0)
print(f"Perte d'entraînement finale : {historique.history['loss'][-1]:.4f}")
print(f"Précision sur le jeu de test : {precision:.4f}")

# Vérification indépendante : prédiction hors de la stratégie.
predictions = np.argmax(model.predict(X_test, verbose=0), axis=1)
print(f"Précision recalculée : {np.mean(predictions == y_test):.4f}")
assert precision >= 0.9, precision
