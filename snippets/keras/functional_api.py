# /// script
# requires-python = ">=3.11"
# dependencies = ["tensorflow==2.21.0", "keras>=3.10", "scikit-learn>=1.5", "numpy>=2"]
#
# [tool.kb]
# title = "API fonctionnelle de Keras : deux entrées et une connexion résiduelle"
# illustrates = ["Présentation de Keras", "API de haut niveau", "Réseau de neurones", "Réseau de neurones convolutif (CNN)"]
# device = "cpu"
# timeout = 180
# env = { TF_CPP_MIN_LOG_LEVEL = "2", KERAS_BACKEND = "tensorflow" }
# ///
"""Construire un graphe de couches qui n'est pas une simple pile.

Avec l'API fonctionnelle, on appelle les couches sur des tenseurs symboliques
et on relie librement entrées et sorties. Le modèle ci-dessous reçoit deux
entrées pour chaque chiffre manuscrit : l'image 8×8 (traitée par une petite
branche convolutive) et un vecteur de 16 statistiques (sommes des lignes et
des colonnes, traitées par une branche dense). Les deux branches sont
concaténées, puis passent dans un bloc dense à connexion résiduelle
(``x + f(x)``) avant la couche de sortie.
"""

import keras
import numpy as np
from keras import layers
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

keras.utils.set_random_seed(0)

# --- Deux représentations des mêmes images --------------------------------------------------------
chiffres = load_digits()
images = (chiffres.images / 16.0).astype("float32")[..., np.newaxis]  # (n, 8, 8, 1)
stats = np.concatenate([images.sum(axis=1)[..., 0], images.sum(axis=2)[..., 0]], axis=1) / 8.0  # (n, 16)
y = chiffres.target
img_train, img_test, st_train, st_test, y_train, y_test = train_test_split(images, stats, y, test_size=0.25, random_state=0, stratify=y)

# --- Graphe de couches --------------------------------------------------------------------------------
entree_image = keras.Input(shape=(8, 8, 1), name="image")
entree_stats = keras.Input(shape=(16,), name="statistiques")

# Branche convolutive.
x = layers.Conv2D(16, 3, padding="same", activation="relu", name="conv")(entree_image)
x = layers.MaxPooling2D(2, name="pool")(x)
x = layers.Flatten(name="aplatir")(x)

# Branche dense.
s = layers.Dense(16, activation="relu", name="dense_stats")(entree_stats)

# Fusion puis bloc résiduel : la sortie du bloc est ajoutée à son entrée.
h = layers.Concatenate(name="fusion")([x, s])
h = layers.Dense(64, activation="relu", name="projection")(h)
residu = layers.Dense(64, activation="relu", name="residuel_1")(h)
residu = layers.Dense(64, name="residuel_2")(residu)
h = layers.Activation("relu", name="relu_final")(layers.Add(name="addition")([h, residu]))
sortie = layers.Dense(10, activation="softmax", name="chiffre")(h)

model = keras.Model(inputs=[entree_image, entree_stats], outputs=sortie, name="deux_entrees_residuel")
model.summary(line_length=80)  # largeur adaptée à une sortie non interactive (80 colonnes)

# Le modèle garde la trace de ses entrées nommées.
print("Entrées du modèle :", [t.name for t in model.inputs])

# --- Entraînement court : les entrées sont passées par nom ---------------------------------------------
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
historique = model.fit(
    {"image": img_train, "statistiques": st_train},
    y_train,
    epochs=8,
    batch_size=32,
    validation_split=0.1,
    verbose=0,
)
print(f"Précision de validation après 8 époques : {historique.history['val_accuracy'][-1]:.4f}")
_, precision = model.evaluate({"image": img_test, "statistiques": st_test}, y_test, verbose=0)
print(f"Précision sur le jeu de test : {precision:.4f}")
assert precision >= 0.85, precision
