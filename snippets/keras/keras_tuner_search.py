# /// script
# requires-python = ">=3.11"
# dependencies = ["keras-tuner>=1.4", "keras>=3.10", "torch==2.14.1", "tensorflow==2.21.0", "scikit-learn>=1.5", "numpy>=2"]
#
# [tool.kb]
# title = "Keras Tuner : recherche Hyperband de la largeur, du dropout et du taux d'apprentissage"
# illustrates = ["Keras Tuner", "Présentation de Keras", "Taux d'apprentissage", "Dropout"]
# device = "cpu"
# timeout = 300
# env = { OMP_NUM_THREADS = "2", KERAS_BACKEND = "torch" }
# ///
"""Keras Tuner : une fonction qui construit le modèle à partir d'un objet ``hp``, et un algorithme de recherche.

Chaque appel ``hp.Int`` / ``hp.Float`` / ``hp.Choice`` déclare une dimension de
l'espace de recherche et renvoie la valeur de l'essai en cours. ``Hyperband``
lance beaucoup de configurations pour peu d'époques, garde le meilleur tiers,
le réentraîne plus longtemps, et ainsi de suite : les mauvaises configurations
coûtent peu. Les essais sont enregistrés dans un dossier (reprise possible).
Le moteur de Keras est ici PyTorch (pas de compilation à chaque essai, ce qui compte
quand les essais sont nombreux et courts) ; le même code tourne avec TensorFlow ou JAX.
"""

import warnings

import keras
import keras_tuner as kt
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

keras.utils.set_random_seed(0)
# Hyperband reprend les poids d'un essai du tour précédent ; Keras prévient que l'état de l'optimiseur,
# lui, n'est pas repris (un nouvel optimiseur est créé) : c'est voulu ici.
warnings.filterwarnings("ignore", message="Skipping variable loading for optimizer")
X, y = load_digits(return_X_y=True)
X = (X / 16.0).astype("float32")
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0, stratify=y)
X_train, X_val, y_train, y_val = train_test_split(X_train, y_train, test_size=0.2, random_state=0, stratify=y_train)


def construire(hp: kt.HyperParameters) -> keras.Model:
    modele = keras.Sequential([keras.Input(shape=(64,))])
    for i in range(hp.Int("couches", 1, 2)):
        modele.add(keras.layers.Dense(hp.Int(f"unites_{i}", 16, 128, step=16), activation="relu"))
        modele.add(keras.layers.Dropout(hp.Float("dropout", 0.0, 0.5, step=0.1)))
    modele.add(keras.layers.Dense(10, activation="softmax"))
    taux = hp.Float("taux", 1e-4, 1e-1, sampling="log")
    modele.compile(optimizer=keras.optimizers.Adam(taux), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return modele


chercheur = kt.Hyperband(
    construire,
    objective="val_accuracy",
    max_epochs=6,  # budget maximal d'un essai
    factor=3,  # à chaque tour, on garde un tiers des configurations et on triple leurs époques
    hyperband_iterations=1,
    seed=0,
    directory="essais",
    project_name="digits",
    overwrite=True,
)
print("Espace de recherche :", [hp.name for hp in chercheur.oracle.hyperparameters.space])
chercheur.search(X_train, y_train, validation_data=(X_val, y_val), batch_size=64, verbose=0)

essais = list(chercheur.oracle.trials.values())
epoques = [e.hyperparameters.get("tuner/epochs") for e in essais]
print(f"Essais : {len(essais)} ; budgets en époques rencontrés : {sorted(set(epoques))}")
meilleurs = chercheur.get_best_hyperparameters(1)[0]
# values contient aussi unites_1 quand couches = 1 : la valeur existe mais n'a pas servi.
print("Meilleurs hyperparamètres :", {k: round(v, 5) if isinstance(v, float) else v for k, v in meilleurs.values.items() if not k.startswith("tuner/")})
meilleur_essai = chercheur.oracle.get_best_trials(1)[0]
print(f"Meilleure précision de validation : {meilleur_essai.score:.4f}")
assert len(essais) > 5 and max(epoques) == 6  # beaucoup d'essais courts, quelques-uns au budget complet

# Réentraîner la meilleure configuration sur entraînement + validation, puis l'évaluer sur le test.
modele = chercheur.hypermodel.build(meilleurs)
modele.fit(keras.ops.concatenate([X_train, X_val]), keras.ops.concatenate([y_train, y_val]), epochs=20, batch_size=64, verbose=0)
_, precision = modele.evaluate(X_test, y_test, verbose=0)
print(f"Précision de test de la configuration retenue : {precision:.4f}")
assert precision > 0.93
