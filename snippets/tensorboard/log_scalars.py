# /// script
# requires-python = ">=3.11"
# dependencies = ["tensorboard>=2.19", "torch==2.14.1", "tensorflow==2.21.0", "numpy>=2"]
#
# [tool.kb]
# title = "TensorBoard : journaliser des scalaires depuis PyTorch et TensorFlow, puis les relire"
# illustrates = ["TensorBoard", "Présentation de PyTorch", "TensorFlow pour l'apprentissage profond", "Descente de gradient"]
# device = "cpu"
# timeout = 180
# env = { TF_CPP_MIN_LOG_LEVEL = "2" }
# ///
"""Écrire des courbes pour TensorBoard depuis deux frameworks et vérifier le contenu des fichiers.

Une même petite régression linéaire est entraînée par descente de gradient
en PyTorch puis en TensorFlow. À chaque pas, la perte et le taux
d'apprentissage sont journalisés :

* côté PyTorch avec ``torch.utils.tensorboard.SummaryWriter`` ;
* côté TensorFlow avec ``tf.summary.create_file_writer`` et ``tf.summary.scalar``.

Les fichiers d'événements sont écrits dans ``./journaux/<framework>`` ; on
pourrait les visualiser avec ``tensorboard --logdir journaux``. Ici, on les
relit avec l'``EventAccumulator`` de TensorBoard pour vérifier que les valeurs
retrouvées sont bien celles écrites. Détail utile : PyTorch enregistre des
scalaires « simples », alors que ``tf.summary.scalar`` (TF 2) enregistre des
tenseurs de rang 0 ; on les lit donc avec ``Scalars`` d'un côté et
``Tensors`` de l'autre.
"""

from pathlib import Path

import numpy as np
import tensorflow as tf
import torch
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from tensorboard.util.tensor_util import make_ndarray
from torch.utils.tensorboard import SummaryWriter

torch.manual_seed(0)
tf.random.set_seed(0)

PAS = 30
TAUX_INITIAL = 0.3

# Données synthétiques : y = 3x - 1 + bruit.
rng = np.random.default_rng(0)
x = rng.uniform(-1, 1, size=(200, 1)).astype(np.float32)
y = (3 * x - 1 + 0.1 * rng.normal(size=(200, 1))).astype(np.float32)


def taux(pas: int) -> float:
    """Décroissance exponentielle du taux d'apprentissage."""
    return TAUX_INITIAL * 0.97**pas


# --- PyTorch : SummaryWriter ------------------------------------------------------------------------
ecrit_torch = {}
w = torch.zeros(1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
xt, yt = torch.from_numpy(x), torch.from_numpy(y)
with SummaryWriter(log_dir="journaux/pytorch") as writer:
    for pas in range(PAS):
        perte = torch.mean((xt * w + b - yt) ** 2)
        perte.backward()
        with torch.no_grad():
            for p in (w, b):
                p -= taux(pas) * p.grad
                p.grad = None
        writer.add_scalar("perte/entrainement", perte.item(), global_step=pas)
        writer.add_scalar("taux_apprentissage", taux(pas), global_step=pas)
        ecrit_torch[pas] = perte.item()
print(f"PyTorch    : perte initiale {ecrit_torch[0]:.4f}, finale {ecrit_torch[PAS - 1]:.4f}")

# --- TensorFlow : tf.summary ---------------------------------------------------------------------------
ecrit_tf = {}
wv = tf.Variable(tf.zeros(1))
bv = tf.Variable(tf.zeros(1))
writer_tf = tf.summary.create_file_writer("journaux/tensorflow")
with writer_tf.as_default():
    for pas in range(PAS):
        with tf.GradientTape() as tape:
            perte = tf.reduce_mean((x * wv + bv - y) ** 2)
        for var, grad in zip((wv, bv), tape.gradient(perte, [wv, bv]), strict=True):
            var.assign_sub(taux(pas) * grad)
        tf.summary.scalar("perte/entrainement", perte, step=pas)
        tf.summary.scalar("taux_apprentissage", taux(pas), step=pas)
        ecrit_tf[pas] = float(perte)
writer_tf.close()  # vide les tampons sur le disque
print(f"TensorFlow : perte initiale {ecrit_tf[0]:.4f}, finale {ecrit_tf[PAS - 1]:.4f}")

# --- Relecture des fichiers d'événements ------------------------------------------------------------------
for dossier in sorted(Path("journaux").iterdir()):
    fichiers = [f.name.split(".")[0] for f in dossier.iterdir()]
    print(f"\n{dossier}/ : {len(fichiers)} fichier(s) {sorted(set(fichiers))}")
    # size_guidance 0 : tout garder (par défaut, TensorBoard sous-échantillonne les longues séries).
    acc = EventAccumulator(str(dossier), size_guidance={"scalars": 0, "tensors": 0})
    acc.Reload()
    etiquettes = acc.Tags()
    print("  scalars :", etiquettes["scalars"], "| tensors :", etiquettes["tensors"])

    if dossier.name == "pytorch":
        evenements = acc.Scalars("perte/entrainement")
        relu = {e.step: e.value for e in evenements}
        ecrit = ecrit_torch
    else:
        evenements = acc.Tensors("perte/entrainement")
        relu = {e.step: float(make_ndarray(e.tensor_proto)) for e in evenements}
        ecrit = ecrit_tf

    print(f"  points relus : {len(relu)} ; pas 0, 10, 20, 29 :", [round(relu[s], 4) for s in (0, 10, 20, 29)])
    # Les valeurs sont stockées en float32 : comparaison à la précision float32.
    assert sorted(relu) == list(range(PAS))
    assert np.allclose([relu[s] for s in range(PAS)], [ecrit[s] for s in range(PAS)], rtol=1e-6, atol=0)
    print("  valeurs relues identiques aux valeurs écrites : oui")

# Les deux frameworks ont suivi la même descente : leurs courbes coïncident.
ecart = max(abs(ecrit_torch[s] - ecrit_tf[s]) for s in range(PAS))
print("\nPertes PyTorch et TensorFlow égales à 1e-4 près à chaque pas :", ecart < 1e-4)
assert ecart < 1e-4
