# /// script
# requires-python = ">=3.11"
# dependencies = ["tensorflow==2.21.0", "keras>=3.10", "scikit-learn>=1.5", "numpy>=2"]
#
# [tool.kb]
# title = "Apprentissage par transfert avec Keras, sans rien télécharger"
# illustrates = ["Présentation de Keras", "Apprentissage par transfert", "Modèles pré-entraînés"]
# device = "cpu"
# timeout = 180
# env = { TF_CPP_MIN_LOG_LEVEL = "2", KERAS_BACKEND = "tensorflow" }
# ///
"""Réutiliser un extracteur de caractéristiques appris sur une autre tâche.

Tâche source : reconnaître les chiffres 0 à 4, avec toutes leurs images.
Tâche cible : reconnaître les chiffres 5 à 9, avec seulement 50 exemples par
classe. Le réseau source joue ici le rôle d'un modèle pré-entraîné : ses
couches d'extraction sont gelées (``layer.trainable = False``) et seule une
nouvelle tête de classification est entraînée. On compare à la même
architecture entraînée de zéro sur les 250 exemples cibles.
"""

import keras
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

keras.utils.set_random_seed(0)

X, y = load_digits(return_X_y=True)
X = (X / 16.0).astype("float32").reshape(-1, 8, 8, 1)  # images 8×8 à un canal

# --- Tâche source : chiffres 0 à 4, toutes les images --------------------------------------------
source = y < 5
X_source, y_source = X[source], y[source]

# --- Tâche cible : chiffres 5 à 9 (réétiquetés 0..4), 50 exemples par classe ---------------------
cible = ~source
X_cible, y_cible = X[cible], y[cible] - 5
X_cible_train, X_cible_test, y_cible_train, y_cible_test = train_test_split(
    X_cible, y_cible, train_size=250, random_state=0, stratify=y_cible
)
print(f"Source (0–4) : {len(X_source)} images | cible (5–9) : {len(X_cible_train)} pour apprendre, "
      f"{len(X_cible_test)} pour tester")
print("Exemples cibles par classe :", np.bincount(y_cible_train).tolist())


def extracteur(nom: str) -> keras.Sequential:
    """Couches de caractéristiques : convolution, pooling, puis une couche dense."""
    return keras.Sequential(
        [
            keras.Input(shape=(8, 8, 1)),
            keras.layers.Conv2D(32, 3, padding="same", activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Conv2D(64, 3, padding="same", activation="relu"),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(64, activation="relu"),
        ],
        name=nom,
    )


def classifieur(base: keras.Sequential, lr: float) -> keras.Sequential:
    """Empile l'extracteur et une tête neuve à 5 sorties, puis compile."""
    modele = keras.Sequential([base, keras.layers.Dense(5, activation="softmax", name="tete")])
    modele.compile(optimizer=keras.optimizers.Adam(lr), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return modele


# --- 1. Pré-entraînement sur la tâche source --------------------------------------------------------
base = extracteur("extracteur_source")
modele_source = classifieur(base, lr=3e-3)
modele_source.fit(X_source, y_source, epochs=15, batch_size=32, verbose=0)
_, prec_source = modele_source.evaluate(X_source, y_source, verbose=0)
print(f"Modèle source, précision sur 0–4 (entraînement) : {prec_source:.4f}")

# --- 2. Transfert : on gèle l'extracteur et on greffe une nouvelle tête ------------------------------
for couche in base.layers:
    couche.trainable = False  # ses poids ne bougeront plus (à faire avant compile)
modele_transfert = classifieur(base, lr=3e-3)
n_gele = sum(int(np.prod(w.shape)) for w in modele_transfert.non_trainable_weights)
n_libre = sum(int(np.prod(w.shape)) for w in modele_transfert.trainable_weights)
print(f"Transfert : {n_libre} paramètres entraînables (la tête), {n_gele} gelés (l'extracteur)")
poids_avant = base.layers[0].get_weights()[0].copy()
modele_transfert.fit(X_cible_train, y_cible_train, epochs=40, batch_size=25, verbose=0)
assert np.array_equal(poids_avant, base.layers[0].get_weights()[0]), "l'extracteur gelé a bougé"
print("Les noyaux de la première convolution sont restés identiques pendant l'entraînement de la tête.")

# --- 3. Témoin : même architecture, poids aléatoires, tout est entraîné -----------------------------
keras.utils.set_random_seed(0)
modele_zero = classifieur(extracteur("extracteur_neuf"), lr=3e-3)
n_zero = sum(int(np.prod(w.shape)) for w in modele_zero.trainable_weights)
print(f"De zéro : {n_zero} paramètres entraînables")
modele_zero.fit(X_cible_train, y_cible_train, epochs=40, batch_size=25, verbose=0)

# --- Comparaison sur les images de test de 5 à 9 -------------------------------------------------------
_, prec_zero = modele_zero.evaluate(X_cible_test, y_cible_test, verbose=0)
_, prec_transfert = modele_transfert.evaluate(X_cible_test, y_cible_test, verbose=0)
print(f"Précision de test (5–9), entraîné de zéro sur 250 images : {prec_zero:.4f}")
print(f"Écart transfert − zéro : {prec_transfert - prec_zero:+.4f}")
print(f"Précision de test (5–9), extracteur transféré + tête neuve : {prec_transfert:.4f}")
