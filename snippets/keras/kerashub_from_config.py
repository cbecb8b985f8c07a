# /// script
# requires-python = ">=3.11"
# dependencies = ["keras-hub>=0.22", "keras>=3.10", "torch==2.14.1", "tensorflow==2.21.0", "numpy>=2"]
#
# [tool.kb]
# title = "KerasHub sans préréglage : un mini-BERT classifieur construit pièce par pièce"
# illustrates = ["KerasHub", "Présentation de Keras", "Transformer (architecture)", "Traitement automatique du langage naturel"]
# device = "cpu"
# timeout = 300
# env = { OMP_NUM_THREADS = "2", KERAS_BACKEND = "torch" }
# ///
"""``from_preset("bert_base_en")`` télécharge un modèle ; les constructeurs de KerasHub, eux, n'ont besoin de rien.

Un modèle de tâche KerasHub assemble trois pièces : un *tokeniseur*
(ici WordPiece, avec un vocabulaire écrit dans le script), un
*préprocesseur* (ajout de ``[CLS]``/``[SEP]``, troncature, rembourrage) et
une *dorsale* (``BertBackbone`` : encodeur transformer dont on choisit la
taille). ``BertTextClassifier`` les relie et prend directement des chaînes de
caractères en entrée. On l'entraîne à classer de courtes phrases positives ou
négatives, puis on l'enregistre au format ``.keras`` et on le recharge.
"""

import keras
import keras_hub
import numpy as np

keras.utils.set_random_seed(0)

POSITIF = ["superbe", "drôle", "magnifique", "captivant", "brillant", "touchant"]
NEGATIF = ["ennuyeux", "raté", "confus", "plat", "décevant", "lourd"]
SUJETS = ["le film", "le scénario", "la mise en scène", "la fin", "le jeu"]
phrases, etiquettes = [], []
for i in range(240):
    positif = i % 2 == 0
    phrases.append(f"{SUJETS[(i // 2) % 5]} est {(POSITIF if positif else NEGATIF)[(i // 2) % 6]}")
    etiquettes.append(int(positif))
phrases, etiquettes = np.array(phrases), np.array(etiquettes)

# --- 1. Tokeniseur : un vocabulaire WordPiece écrit à la main ---------------------------------------------
speciaux = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
mots = sorted({m for p in phrases for m in p.split()})
tokeniseur = keras_hub.models.BertTokenizer(vocabulary=speciaux + mots, lowercase=True)
print(f"Vocabulaire : {tokeniseur.vocabulary_size()} entrées")
print("« la fin est superbe » →", keras.ops.convert_to_numpy(tokeniseur("la fin est superbe")).tolist())
print("Mot inconnu « génial » →", keras.ops.convert_to_numpy(tokeniseur("génial")).tolist(), "(l'identifiant de [UNK])")

# --- 2. Préprocesseur et 3. dorsale, sans préréglage ---------------------------------------------------------
pretraitement = keras_hub.models.BertTextClassifierPreprocessor(tokeniseur, sequence_length=12)
dorsale = keras_hub.models.BertBackbone(
    vocabulary_size=tokeniseur.vocabulary_size(),
    num_layers=2,
    num_heads=2,
    hidden_dim=32,
    intermediate_dim=64,
    max_sequence_length=12,
)
print(f"Dorsale BERT : {dorsale.count_params()} paramètres (bert_base_en en a environ 110 millions)")
entree = pretraitement(["le jeu est drôle"])
print("Entrées de la dorsale :", {k: keras.ops.convert_to_numpy(v).tolist()[0] for k, v in entree.items()})

classifieur = keras_hub.models.BertTextClassifier(backbone=dorsale, num_classes=2, preprocessor=pretraitement, dropout=0.1)
classifieur.compile(optimizer=keras.optimizers.Adam(1e-3), loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])

ordre = np.random.default_rng(0).permutation(len(phrases))
train, test = ordre[:180], ordre[180:]
historique = classifieur.fit(phrases[train], etiquettes[train], epochs=15, batch_size=16, verbose=0)
pertes = historique.history["loss"]
print(f"Perte d'entraînement : {pertes[0]:.4f} → {pertes[-1]:.4f}")
_, precision = classifieur.evaluate(phrases[test], etiquettes[test], verbose=0)
print(f"Précision sur 60 phrases de test : {precision:.4f}")
assert pertes[-1] < pertes[0] / 2 and precision > 0.9

# Le modèle accepte directement du texte brut.
exemples = ["la fin est magnifique", "le scénario est lourd"]
classes = keras.ops.convert_to_numpy(classifieur.predict(np.array(exemples), verbose=0)).argmax(1)
print("Prédictions :", dict(zip(exemples, ["positif" if c else "négatif" for c in classes], strict=True)))

# --- Enregistrement au format .keras (architecture, poids et vocabulaire ensemble) -----------------------------
classifieur.save("mini_bert.keras")
recharge = keras.saving.load_model("mini_bert.keras")
ecart = np.abs(keras.ops.convert_to_numpy(recharge.predict(np.array(exemples), verbose=0))
               - keras.ops.convert_to_numpy(classifieur.predict(np.array(exemples), verbose=0))).max()
print(f"Rechargé depuis mini_bert.keras : écart maximal des logits {ecart:.1e}")
assert ecart < 1e-5
