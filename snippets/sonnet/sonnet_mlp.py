# /// script
# requires-python = ">=3.11"
# dependencies = ["dm-sonnet>=2.0.2", "tensorflow==2.21.0", "scikit-learn>=1.5", "numpy>=2"]
#
# [tool.kb]
# title = "Sonnet 2 : un MLP en modules snt.Module, entraîné avec GradientTape et un optimiseur Sonnet"
# illustrates = ["Sonnet", "TensorFlow pour l'apprentissage profond", "Différentiation automatique"]
# device = "cpu"
# timeout = 180
# env = { OMP_NUM_THREADS = "2", TF_NUM_INTEROP_THREADS = "2", TF_NUM_INTRAOP_THREADS = "2" }
# ///
"""Sonnet 2 (DeepMind) : des modules légers au-dessus de TensorFlow 2, sans boucle d'entraînement imposée.

Un ``snt.Module`` crée ses variables paresseusement, au premier appel, quand
la forme de l'entrée est connue ; il les expose par ``trainable_variables``.
L'entraînement s'écrit à la main : ``tf.GradientTape`` pour les gradients, un
optimiseur de ``snt.optimizers`` pour la mise à jour, ``tf.function`` pour
compiler le pas. On classe les tumeurs du jeu breast cancer de scikit-learn
et l'on enregistre les variables avec ``tf.train.Checkpoint``.
"""

import numpy as np
import sonnet as snt
import tensorflow as tf
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

tf.random.set_seed(0)
X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
scaler = StandardScaler().fit(X_train)
X_train, X_test = (scaler.transform(a).astype(np.float32) for a in (X_train, X_test))


class Classifieur(snt.Module):
    """Un MLP de Sonnet suivi d'une couche linéaire à deux sorties ; le nom sert de préfixe aux variables."""

    def __init__(self, name: str = "classifieur") -> None:
        super().__init__(name=name)
        self.corps = snt.nets.MLP([32, 16], activate_final=True)
        self.tete = snt.Linear(2)

    def __call__(self, x: tf.Tensor) -> tf.Tensor:
        return self.tete(self.corps(x))


modele = Classifieur()
try:
    _ = modele.trainable_variables
except ValueError:
    # Sonnet refuse de répondre « aucune variable » avant le premier appel : c'est presque toujours une erreur.
    print("Avant le premier appel : aucune variable encore (Sonnet lève ValueError si on les demande)")
modele(X_train[:1])  # les formes des poids sont déduites de cette entrée (30 mesures)
print("Variables après :", [f"{v.name} {tuple(v.shape)}" for v in modele.trainable_variables])
assert len(modele.trainable_variables) == 6

optimiseur = snt.optimizers.Adam(learning_rate=1e-3)
jeu = tf.data.Dataset.from_tensor_slices((X_train, y_train)).shuffle(len(X_train), seed=0).batch(32)


@tf.function  # un graphe TensorFlow compilé au premier appel
def pas(x, y):
    with tf.GradientTape() as bande:
        logits = modele(x)
        perte = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    gradients = bande.gradient(perte, modele.trainable_variables)
    optimiseur.apply(gradients, modele.trainable_variables)  # Sonnet : apply(mises à jour, variables)
    return perte


def precision(x, y) -> float:
    return float(np.mean(np.argmax(modele(x).numpy(), axis=1) == y))


print(f"Précision avant entraînement : {precision(X_test, y_test):.4f}")
for epoque in range(30):
    for xb, yb in jeu:
        perte = pas(xb, yb)
    if epoque % 10 == 9:
        print(f"époque {epoque + 1} : perte du dernier lot {float(perte):.4f}, précision test {precision(X_test, y_test):.4f}")
p = precision(X_test, y_test)
assert p > 0.93, p

# --- Points de contrôle TensorFlow : Sonnet n'a pas de format à lui ----------------------------------------------
point = tf.train.Checkpoint(modele=modele, optimiseur=optimiseur)
chemin = point.save("points/classifieur")
copie = Classifieur()
copie(X_train[:1])  # crée les variables, qui sont ensuite écrasées par la restauration
tf.train.Checkpoint(modele=copie).restore(chemin).expect_partial()
identiques = np.array_equal(copie(X_test).numpy(), modele(X_test).numpy())
print(f"Restauré depuis {chemin} : sorties identiques = {identiques}")
assert identiques
print(f"Précision de test : {p:.4f}")
