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
couches convolutives sont gelées (``layer.trainable = False``) et seule une
nouvelle tête de classification (1 024 × 5 poids et 5 biais) est entraînée.

Deux témoins de même architecture : le même extracteur gelé mais laissé à
ses poids aléatoires (même nombre de paramètres entraînés, il isole l'apport
du pré-entraînement), et un réseau entièrement entraîné de zéro sur les 250
exemples cibles. Les chiffres 8×8 sont une tâche facile : avec 250 images,
un petit CNN entraîné de zéro égale le modèle transféré, ou le dépasse
d'environ un point selon la graine. Le gain net et régulier du
pré-entraînement se lit face à l'extracteur aléatoire gelé ; l'autre atout
du transfert est de n'entraîner qu'une fraction des paramètres.
"""

import keras
import numpy as np
from sklearn.datasets import load_digits

keras.utils.set_random_seed(0)

X, y = load_digits(return_X_y=True)
X = (X / 16.0).astype("float32").reshape(-1, 8, 8, 1)  # images 8×8 à un canal

# --- Tâche source : chiffres 0 à 4, toutes les images --------------------------------------------
source = y < 5
X_source, y_source = X[source], y[source]

# --- Tâche cible : chiffres 5 à 9 (réétiquetés 0..4), 50 exemples par classe ---------------------
cible = ~source
X_cible, y_cible = X[cible], y[cible] - 5
rng = np.random.default_rng(0)
choisis = np.concatenate([rng.permutation(np.flatnonzero(y_cible == c))[:50] for c in range(5)])
reste = np.setdiff1d(np.arange(len(y_cible)), choisis)
X_cible_train, y_cible_train = X_cible[choisis], y_cible[choisis]
X_cible_test, y_cible_test = X_cible[reste], y_cible[reste]
print(f"Source (0–4) : {len(X_source)} images | cible (5–9) : {len(X_cible_train)} pour apprendre, {len(X_cible_test)} pour tester")
print("Exemples cibles par classe :", np.bincount(y_cible_train).tolist())


def extracteur(nom: str) -> keras.Sequential:
    """Couches de caractéristiques : deux convolutions, un pooling, mise à plat (1 024 valeurs)."""
    return keras.Sequential(
        [
            keras.Input(shape=(8, 8, 1)),
            keras.layers.Conv2D(32, 3, padding="same", activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Conv2D(64, 3, padding="same", activation="relu"),
            keras.layers.Flatten(),
        ],
        name=nom,
    )


def classifieur(base: keras.Sequential) -> keras.Sequential:
    """Empile l'extracteur et une tête neuve à 5 sorties, puis compile."""
    modele = keras.Sequential(
        [base, keras.layers.Dropout(0.3), keras.layers.Dense(5, activation="softmax", name="tete")]
    )
    modele.compile(optimizer=keras.optimizers.Adam(3e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return modele


def parametres(poids: list) -> int:
    return sum(int(np.prod(w.shape)) for w in poids)


# --- 1. Pré-entraînement sur la tâche source --------------------------------------------------------
base = extracteur("extracteur_source")
modele_source = classifieur(base)
modele_source.fit(X_source, y_source, epochs=20, batch_size=32, verbose=0)
_, prec_source = modele_source.evaluate(X_source, y_source, verbose=0)
print(f"Modèle source, précision sur 0–4 (entraînement) : {prec_source:.4f}")

# --- 2. Transfert : on gèle l'extracteur et on greffe une nouvelle tête ------------------------------
for couche in base.layers:
    couche.trainable = False  # ses poids ne bougeront plus (à régler avant compile)
modele_transfert = classifieur(base)
print(
    f"Transfert : {parametres(modele_transfert.trainable_weights)} paramètres entraînables (la tête), "
    f"{parametres(modele_transfert.non_trainable_weights)} gelés (l'extracteur)"
)
noyaux_avant = base.layers[0].get_weights()[0].copy()
modele_transfert.fit(X_cible_train, y_cible_train, epochs=30, batch_size=25, verbose=0)
assert np.array_equal(noyaux_avant, base.layers[0].get_weights()[0]), "l'extracteur gelé a bougé"
print("Les noyaux de la première convolution n'ont pas bougé pendant l'entraînement de la tête.")

# --- 3a. Témoin : même extracteur gelé, mais à poids aléatoires -------------------------------------
aleatoire = extracteur("extracteur_aleatoire")
aleatoire.trainable = False  # raccourci : gèle toutes les couches du sous-modèle
modele_aleatoire = classifieur(aleatoire)
modele_aleatoire.fit(X_cible_train, y_cible_train, epochs=30, batch_size=25, verbose=0)

# --- 3b. Témoin : même architecture, tout est entraîné de zéro sur les 250 images ------------------
modele_zero = classifieur(extracteur("extracteur_neuf"))
print(f"De zéro : {parametres(modele_zero.trainable_weights)} paramètres entraînables")
modele_zero.fit(X_cible_train, y_cible_train, epochs=30, batch_size=25, verbose=0)

# --- Comparaison sur les images de test de 5 à 9 -------------------------------------------------------
resultats = {
    "extracteur aléatoire gelé + tête": modele_aleatoire.evaluate(X_cible_test, y_cible_test, verbose=0)[1],
    "réseau entier entraîné de zéro": modele_zero.evaluate(X_cible_test, y_cible_test, verbose=0)[1],
    "extracteur pré-entraîné gelé + tête": modele_transfert.evaluate(X_cible_test, y_cible_test, verbose=0)[1],
}
print("Précision de test sur les chiffres 5–9 :")
for nom, precision in resultats.items():
    print(f"  {nom:<36s} : {precision:.4f}")
gain = resultats["extracteur pré-entraîné gelé + tête"] - resultats["extracteur aléatoire gelé + tête"]
ecart = resultats["extracteur pré-entraîné gelé + tête"] - resultats["réseau entier entraîné de zéro"]
# Sur 5 graines, le pré-entraînement bat toujours l'extracteur aléatoire ; face au réseau entraîné
# de zéro, l'écart reste d'environ un point, le plus souvent en faveur de ce dernier : pas d'assertion.
assert gain > 0, "les caractéristiques pré-entraînées devraient battre des filtres aléatoires"
print(f"Transfert − de zéro : {ecart:+.4f} | transfert − aléatoire gelé : {gain:+.4f}")
