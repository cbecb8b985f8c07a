# /// script
# requires-python = ">=3.11"
# dependencies = ["tensorflow==2.21.0", "keras>=3.10", "scikit-learn>=1.5", "matplotlib>=3.8", "numpy>=2"]
#
# [tool.kb]
# title = "keras.Sequential : classer les chiffres manuscrits en quelques lignes"
# illustrates = ["Présentation de Keras", "API de haut niveau", "Réseau de neurones", "Optimiseurs"]
# device = "cpu"
# timeout = 180
# env = { TF_CPP_MIN_LOG_LEVEL = "2", KERAS_BACKEND = "tensorflow" }
# ///
"""Le flux de travail Keras classique : ``Sequential`` → ``compile`` → ``fit`` → ``evaluate``.

Un réseau dense est entraîné sur les chiffres 8×8 de scikit-learn. Une part
du jeu d'entraînement est mise de côté par ``validation_split`` pour suivre
la généralisation pendant l'apprentissage ; le jeu de test n'est utilisé
qu'une fois, à la fin. Les courbes de perte et de précision sont enregistrées
dans ``courbes_apprentissage.png``.
"""

import keras
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

keras.utils.set_random_seed(0)  # graines de Python, NumPy et du backend

chiffres = load_digits()
X = (chiffres.data / 16.0).astype("float32")
y = chiffres.target
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42, stratify=y)
print("Exemples d'entraînement :", len(X_train), "| de test :", len(X_test))

# --- Définition : une pile de couches ----------------------------------------------------------
model = keras.Sequential(
    [
        keras.Input(shape=(64,)),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dropout(0.2),  # actif seulement pendant l'entraînement
        keras.layers.Dense(10, activation="softmax"),
    ],
    name="classifieur_chiffres",
)

# --- Compilation : optimiseur, perte, métriques -------------------------------------------------
model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=1e-3),
    loss="sparse_categorical_crossentropy",  # étiquettes entières 0..9, pas de one-hot
    metrics=["accuracy"],
)
print("Paramètres entraînables :", model.count_params())

# --- Entraînement -------------------------------------------------------------------------------------
# validation_split prend les derniers 15 % de X_train (avant mélange) comme jeu de validation.
historique = model.fit(X_train, y_train, epochs=25, batch_size=32, validation_split=0.15, verbose=0)
h = historique.history
for epoque in (0, 4, 9, 14, 19, 24):
    print(
        f"Époque {epoque + 1:2d} | perte {h['loss'][epoque]:.4f} | val_perte {h['val_loss'][epoque]:.4f}"
        f" | val_précision {h['val_accuracy'][epoque]:.4f}"
    )

# --- Évaluation finale et prédictions ---------------------------------------------------------------
perte_test, precision_test = model.evaluate(X_test, y_test, verbose=0)
print(f"Perte sur le test : {perte_test:.4f}")
print(f"Précision sur le test : {precision_test:.4f}")
probas = model.predict(X_test[:8], verbose=0)
print("Prédictions pour 8 images :", np.argmax(probas, axis=1).tolist())
print("Vraies étiquettes         :", y_test[:8].tolist())
assert precision_test >= 0.9, precision_test

# --- Courbes d'apprentissage ------------------------------------------------------------------------------
epoques = np.arange(1, len(h["loss"]) + 1)
fig, (ax_perte, ax_prec) = plt.subplots(1, 2, figsize=(10, 4))
ax_perte.plot(epoques, h["loss"], label="entraînement")
ax_perte.plot(epoques, h["val_loss"], label="validation")
ax_perte.set(title="Perte (entropie croisée)", xlabel="époque")
ax_prec.plot(epoques, h["accuracy"], label="entraînement")
ax_prec.plot(epoques, h["val_accuracy"], label="validation")
ax_prec.set(title="Précision", xlabel="époque", ylim=(0.0, 1.02))
for ax in (ax_perte, ax_prec):
    ax.grid(alpha=0.3)
    ax.legend()
fig.tight_layout()
plt.savefig("courbes_apprentissage.png", dpi=100)
print("Figure enregistrée : courbes_apprentissage.png")
