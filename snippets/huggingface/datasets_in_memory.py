# /// script
# requires-python = ">=3.11"
# dependencies = ["datasets>=4", "torch==2.14.1", "scikit-learn>=1.5"]
#
# [tool.kb]
# title = "Hugging Face Datasets en mémoire : schéma, map par lots, filtre, découpage et format PyTorch"
# illustrates = ["Hugging Face Datasets", "Hugging Face Hub", "Traitement automatique du langage naturel"]
# device = "cpu"
# timeout = 120
# env = { OMP_NUM_THREADS = "2", HF_HUB_OFFLINE = "1", HF_DATASETS_OFFLINE = "1" }
# ///
"""Un ``Dataset`` construit depuis un dictionnaire Python, sans rien télécharger.

Un ``Dataset`` est une table Apache Arrow : des colonnes typées (``Features``),
des transformations qui produisent une nouvelle table (``map``, ``filter``,
``shuffle``, ``train_test_split``) et un format de sortie au choix (listes
Python, tenseurs PyTorch, tableaux NumPy…). On l'emploie ici sur de courtes
critiques de films écrites dans le script, classées positives ou négatives, et
on termine par un petit classifieur PyTorch nourri par un ``DataLoader``.
"""

import os
from pathlib import Path

# Le cache de datasets va dans le dossier courant (le dossier temporaire de l'exécution).
os.environ.setdefault("HF_HOME", str(Path.cwd() / "hf_home"))

import torch
from datasets import ClassLabel, Dataset, Features, Value
from torch import nn
from torch.utils.data import DataLoader

POSITIF = ["superbe", "émouvant", "drôle", "magnifique", "captivant", "brillant", "réussi", "touchant"]
NEGATIF = ["ennuyeux", "raté", "long", "confus", "plat", "décevant", "lourd", "prévisible"]
SUJETS = ["Le film", "Le scénario", "Ce long métrage", "La mise en scène", "Le jeu des acteurs", "La fin"]

# Des critiques générées de façon déterministe : sujet + « est » + adjectif (+ parfois un ajout neutre).
# Sujets et ajouts sont répartis également entre les deux classes : seul l'adjectif porte l'étiquette.
textes, etiquettes = [], []
for i in range(480):
    positif = i % 2 == 0
    adjectif = (POSITIF if positif else NEGATIF)[(i // 2) % 8]
    ajout = " du début à la fin" if i % 3 == 0 else ""
    textes.append(f"{SUJETS[(i // 2) % 6]} est {adjectif}{ajout}.")
    etiquettes.append(int(positif))

# --- Construction avec un schéma explicite ----------------------------------------------------------------
schema = Features({"texte": Value("string"), "label": ClassLabel(names=["négatif", "positif"])})
jeu = Dataset.from_dict({"texte": textes, "label": etiquettes}, features=schema)
print(jeu)
print("Schéma :", jeu.features)
print("Premier exemple :", jeu[0], "→", jeu.features["label"].int2str(jeu[0]["label"]))
assert jeu.num_rows == 480 and jeu.features["label"].num_classes == 2

# --- map par lots : un vocabulaire de mots, puis des sacs de mots -----------------------------------------
vocabulaire = sorted({mot for t in textes for mot in t.lower().rstrip(".").split()})
index = {mot: i for i, mot in enumerate(vocabulaire)}
print(f"Vocabulaire : {len(vocabulaire)} mots")


def vectoriser(lot: dict) -> dict:
    """Reçoit un lot (dictionnaire de listes) et renvoie de nouvelles colonnes pour tout le lot."""
    sacs = []
    for texte in lot["texte"]:
        sac = [0.0] * len(vocabulaire)
        for mot in texte.lower().rstrip(".").split():
            sac[index[mot]] += 1.0
        sacs.append(sac)
    return {"sac": sacs, "nb_mots": [len(t.split()) for t in lot["texte"]]}


jeu = jeu.map(vectoriser, batched=True, batch_size=64)
print("Colonnes après map :", jeu.column_names)

# --- filter, shuffle, train_test_split -----------------------------------------------------------------------
courts = jeu.filter(lambda ex: ex["nb_mots"] <= 5)
print(f"Critiques de 5 mots ou moins : {courts.num_rows} sur {jeu.num_rows}")
decoupe = jeu.shuffle(seed=0).train_test_split(test_size=0.25, seed=0, stratify_by_column="label")
print("Découpage :", {nom: d.num_rows for nom, d in decoupe.items()})
assert decoupe["test"].num_rows == 120
# Stratifié : autant de positifs que de négatifs de chaque côté.
assert sum(decoupe["test"]["label"]) == 60

# --- Format PyTorch et DataLoader ---------------------------------------------------------------------------
train = decoupe["train"].with_format("torch", columns=["sac", "label"])
test = decoupe["test"].with_format("torch", columns=["sac", "label"])
lot = next(iter(DataLoader(train, batch_size=32, shuffle=True, generator=torch.Generator().manual_seed(0))))
print("Un lot du DataLoader :", {k: (tuple(v.shape), str(v.dtype)) for k, v in lot.items()})

torch.manual_seed(0)
modele = nn.Linear(len(vocabulaire), 2)
optimiseur = torch.optim.Adam(modele.parameters(), lr=0.05)
for epoque in range(5):
    for lot in DataLoader(train, batch_size=32, shuffle=True, generator=torch.Generator().manual_seed(epoque)):
        optimiseur.zero_grad()
        nn.functional.cross_entropy(modele(lot["sac"]), lot["label"]).backward()
        optimiseur.step()
tout_test = test[:]  # une tranche renvoie un dictionnaire de tenseurs (test["sac"] serait une colonne paresseuse)
with torch.no_grad():
    precision = (modele(tout_test["sac"]).argmax(1) == tout_test["label"]).float().mean().item()
print(f"Précision d'un classifieur linéaire sur sacs de mots : {precision:.4f}")
assert precision == 1.0  # les adjectifs suffisent à séparer les classes de ce jeu synthétique

# Poids les plus forts vers « positif » : les adjectifs positifs, attendus.
poids = (modele.weight[1] - modele.weight[0]).detach()
meilleurs = [vocabulaire[i] for i in poids.argsort(descending=True)[:4]]
print("Mots les plus « positifs » selon le modèle :", meilleurs)
assert set(meilleurs) <= set(POSITIF)
