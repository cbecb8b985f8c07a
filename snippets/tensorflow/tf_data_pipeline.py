# /// script
# requires-python = ">=3.11"
# dependencies = ["tensorflow==2.21.0", "keras>=3.10", "scikit-learn>=1.5", "numpy>=2"]
#
# [tool.kb]
# title = "Un pipeline tf.data : map, cache, shuffle, batch, prefetch"
# illustrates = ["TensorFlow pour l'apprentissage profond", "Tenseur"]
# device = "cpu"
# timeout = 180
# env = { KERAS_BACKEND = "tensorflow", TF_CPP_MIN_LOG_LEVEL = "2" }
# ///
"""Construire un ``tf.data.Dataset`` étape par étape et l'envoyer à ``model.fit``.

Les chiffres 8×8 de scikit-learn (pixels entiers de 0 à 16) sont découpés
en exemples par ``from_tensor_slices``, normalisés par ``map``, mis en cache,
mélangés avec une graine fixe, regroupés en lots et préchargés. On inspecte
la structure des éléments, la forme des lots et leur nombre, puis on
entraîne un petit modèle Keras pendant trois époques directement sur le
pipeline.
"""

import keras
import tensorflow as tf
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

keras.utils.set_random_seed(0)  # graines de Python, NumPy et TensorFlow
tf.config.experimental.enable_op_determinism()

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X.astype("float32"), y.astype("int32"), test_size=0.25, random_state=0, stratify=y
)
TAILLE_LOT = 64

# --- 1. Source : un élément par ligne du tableau --------------------------------------------
source = tf.data.Dataset.from_tensor_slices((X_train, y_train))
print("Structure d'un élément :", source.element_spec)
print("Nombre d'exemples :", source.cardinality().numpy())


# --- 2. Transformation élément par élément -----------------------------------------------------
def normaliser(image: tf.Tensor, etiquette: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
    """Pixels 0..16 → 0..1 ; la fonction est tracée une fois en graphe TensorFlow."""
    return image / 16.0, etiquette


AUTOTUNE = tf.data.AUTOTUNE  # laisse tf.data choisir le parallélisme et la taille des tampons
train_ds = (
    source.map(normaliser, num_parallel_calls=AUTOTUNE)
    # cache() après le map coûteux et avant le mélange : la normalisation n'est faite qu'à la
    # première époque, et l'ordre reste tiré à nouveau à chaque époque.
    .cache()
    .shuffle(buffer_size=len(X_train), seed=0, reshuffle_each_iteration=True)
    .batch(TAILLE_LOT)
    .prefetch(AUTOTUNE)  # prépare le lot suivant pendant que le modèle traite le courant
)
test_ds = (
    tf.data.Dataset.from_tensor_slices((X_test, y_test))
    .map(normaliser, num_parallel_calls=AUTOTUNE)
    .batch(256)
    .cache()
    .prefetch(AUTOTUNE)
)
print("Structure d'un lot :", train_ds.element_spec)

# --- 3. Parcourir le pipeline comme un itérable Python -----------------------------------------
formes, n_etiquettes = [], 0
for images, etiquettes in train_ds:
    formes.append(tuple(images.shape))
    n_etiquettes += int(tf.size(etiquettes))
print(f"Nombre de lots par époque : {len(formes)} (⌈{len(X_train)} / {TAILLE_LOT}⌉)")
print(f"Exemples vus en une passe : {n_etiquettes}")
print("Forme des deux premiers lots :", formes[:2], "| du dernier :", formes[-1])
print(f"Valeurs du dernier lot entre {tf.reduce_min(images):.2f} et {tf.reduce_max(images):.2f}")

# Le mélange change d'une époque à l'autre mais reste reproductible grâce à la graine.
premier_lot = [next(iter(train_ds))[1][:8].numpy().tolist() for _ in range(2)]
print("Huit premières étiquettes, époque A :", premier_lot[0])
print("Huit premières étiquettes, époque B :", premier_lot[1])

# take / skip / unbatch se combinent comme les autres étapes.
apercu = train_ds.unbatch().take(5)
print("Cinq étiquettes via unbatch().take(5) :", [int(e) for _, e in apercu])

# --- 4. Entraîner un modèle Keras directement sur le Dataset -----------------------------------
modele = keras.Sequential(
    [
        keras.Input(shape=(64,)),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ]
)
modele.compile(optimizer=keras.optimizers.Adam(5e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
# Pas de batch_size dans fit, et shuffle=False : le Dataset fournit déjà des lots mélangés.
historique = modele.fit(train_ds, epochs=3, validation_data=test_ds, shuffle=False, verbose=0)
for i, (perte, prec) in enumerate(zip(historique.history["loss"], historique.history["accuracy"], strict=True), start=1):
    print(f"Époque {i} | perte {perte:.4f} | précision entraînement {prec:.4f}")

perte_test, precision_test = modele.evaluate(test_ds, verbose=0)
assert precision_test >= 0.85, precision_test
print(f"Précision sur le test : {precision_test:.4f}")
