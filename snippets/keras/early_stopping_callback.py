# /// script
# requires-python = ">=3.11"
# dependencies = ["tensorflow==2.21.0", "keras>=3.10", "scikit-learn>=1.5", "matplotlib>=3.8", "numpy>=2"]
#
# [tool.kb]
# title = "Le callback EarlyStopping de Keras sur des étiquettes bruitées"
# illustrates = ["Présentation de Keras", "Arrêt précoce", "Surapprentissage"]
# device = "cpu"
# timeout = 180
# env = { TF_CPP_MIN_LOG_LEVEL = "2", KERAS_BACKEND = "tensorflow" }
# ///
"""``keras.callbacks.EarlyStopping`` face à un réseau qui apprend le bruit par cœur.

On ne garde que 300 chiffres d'entraînement et on remplace 20 % de leurs
étiquettes par des classes fausses tirées au hasard : un réseau dense assez
large finit par mémoriser ces erreurs, et la perte de validation remonte.
Le callback surveille ``val_loss``, s'arrête après 5 époques sans
amélioration et restaure les poids de la meilleure époque. Un second modèle
identique, entraîné sur tout le budget d'époques sans callback, sert de
témoin. Les courbes sont enregistrées dans ``arret_precoce.png``.
"""

import keras
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)

# --- Données : petit jeu d'entraînement aux étiquettes bruitées ------------------------------
X, y = load_digits(return_X_y=True)
X = (X / 16.0).astype("float32")
X_reste, X_test, y_reste, y_test = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
X_train, X_val, y_train, y_val = train_test_split(
    X_reste, y_reste, train_size=300, test_size=300, random_state=0, stratify=y_reste
)


def bruiter(etiquettes: np.ndarray, taux: float) -> np.ndarray:
    """Remplace une fraction `taux` des étiquettes par une autre classe, choisie au hasard."""
    bruitees = etiquettes.copy()
    idx = rng.choice(len(etiquettes), size=int(taux * len(etiquettes)), replace=False)
    bruitees[idx] = (etiquettes[idx] + rng.integers(1, 10, size=len(idx))) % 10  # jamais la bonne
    return bruitees


# La validation provient de la même source imparfaite que l'entraînement ; le test reste propre.
y_train_bruit = bruiter(y_train, 0.2)
y_val_bruit = bruiter(y_val, 0.2)
print(f"Entraînement : {len(X_train)} exemples, dont {np.sum(y_train_bruit != y_train)} mal étiquetés")
print(f"Validation   : {len(X_val)} exemples (même taux de bruit) | test propre : {len(X_test)}")


def construire() -> keras.Model:
    """Réseau volontairement trop grand pour 300 exemples."""
    modele = keras.Sequential(
        [
            keras.Input(shape=(64,)),
            keras.layers.Dense(256, activation="relu"),
            keras.layers.Dense(256, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    modele.compile(optimizer=keras.optimizers.Adam(2e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return modele


EPOQUES_MAX = 30
arret = keras.callbacks.EarlyStopping(
    monitor="val_loss",  # quantité surveillée, à minimiser
    patience=5,  # époques tolérées sans amélioration
    restore_best_weights=True,  # revenir aux poids de la meilleure époque
    verbose=0,
)

# --- Entraînement avec arrêt précoce ------------------------------------------------------------
modele = construire()
h = modele.fit(
    X_train, y_train_bruit, validation_data=(X_val, y_val_bruit), epochs=EPOQUES_MAX, batch_size=50, callbacks=[arret], verbose=0
).history
meilleure = int(np.argmin(h["val_loss"]))
print(f"Arrêt à l'époque {arret.stopped_epoch + 1} sur {EPOQUES_MAX} possibles")
print(f"Meilleure val_loss : {min(h['val_loss']):.4f} (époque {meilleure + 1}), poids restaurés")

# --- Témoin : mêmes données, même architecture, sans callback -----------------------------------
keras.utils.set_random_seed(0)
temoin = construire()
h_temoin = temoin.fit(
    X_train, y_train_bruit, validation_data=(X_val, y_val_bruit), epochs=EPOQUES_MAX, batch_size=50, verbose=0
).history
print(f"Témoin après {EPOQUES_MAX} époques : perte train {h_temoin['loss'][-1]:.4f}, val_loss {h_temoin['val_loss'][-1]:.4f}")

# Précision sur les étiquettes bruitées d'entraînement : proche de 1, le témoin a mémorisé le bruit.
for nom, m in (("arrêt précoce", modele), ("témoin", temoin)):
    _, prec_bruit = m.evaluate(X_train, y_train_bruit, verbose=0)
    print(f"  {nom:<13s} : précision sur les étiquettes bruitées d'entraînement {prec_bruit:.3f}")

_, precision_temoin = temoin.evaluate(X_test, y_test, verbose=0)
_, precision_test = modele.evaluate(X_test, y_test, verbose=0)
print(f"Précision de test du témoin (sans arrêt) : {precision_temoin:.4f}")

# --- Figure ----------------------------------------------------------------------------------------
fig, ax = plt.subplots(figsize=(7, 4))
ax.plot(np.arange(1, EPOQUES_MAX + 1), h_temoin["loss"], color="tab:blue", alpha=0.35, label="entraînement (témoin)")
ax.plot(np.arange(1, EPOQUES_MAX + 1), h_temoin["val_loss"], color="tab:orange", alpha=0.35, label="validation (témoin)")
ax.plot(np.arange(1, len(h["loss"]) + 1), h["loss"], color="tab:blue", label="entraînement")
ax.plot(np.arange(1, len(h["val_loss"]) + 1), h["val_loss"], color="tab:orange", label="validation")
ax.axvline(meilleure + 1, color="gray", linestyle="--", label="meilleure époque (poids restaurés)")
ax.axvline(arret.stopped_epoch + 1, color="black", linestyle=":", label="arrêt")
ax.set(xlabel="époque", ylabel="entropie croisée", title="EarlyStopping(patience=5) sur 20 % d'étiquettes fausses")
ax.set_yscale("log")
ax.legend(fontsize=8)
fig.tight_layout()
fig.savefig("arret_precoce.png", dpi=100)
print("Figure enregistrée : arret_precoce.png")
print(f"Précision de test avec arrêt précoce : {precision_test:.4f}")
