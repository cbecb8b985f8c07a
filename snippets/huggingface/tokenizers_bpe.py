# /// script
# requires-python = ">=3.11"
# dependencies = ["tokenizers>=0.22", "transformers>=5.20,<6"]
#
# [tool.kb]
# title = "Entraîner un tokeniseur BPE au niveau des octets sur un texte français"
# illustrates = ["Hugging Face Tokenizers", "Traitement automatique du langage naturel", "Hugging Face Transformers"]
# device = "cpu"
# timeout = 60
# env = { HF_HUB_OFFLINE = "1", TRANSFORMERS_VERBOSITY = "error" }
# ///
"""BPE (byte pair encoding) : partir des 256 octets et fusionner les paires les plus fréquentes.

On assemble le tokeniseur pièce par pièce avec la bibliothèque ``tokenizers``
(normalisation Unicode NFC, prétokenisation au niveau des octets, modèle BPE,
décodeur), on l'entraîne sur un petit texte écrit ici, puis on regarde les
premières fusions apprises, le découpage d'une phrase avec les positions de
chaque jeton dans le texte d'origine, et l'aller-retour exact du décodage —
y compris pour des mots absents du corpus, puisque tout octet reste
représentable. Le tokeniseur est enfin enregistré dans ``tokenizer.json`` et
rechargé dans un ``PreTrainedTokenizerFast`` de transformers.
"""

import json

from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers
from transformers import PreTrainedTokenizerFast

CORPUS = [
    "Le réseau de neurones apprend une représentation des données.",
    "La rétropropagation calcule le gradient de la perte par rapport aux paramètres.",
    "Les paramètres du réseau sont mis à jour par la descente de gradient.",
    "Un tokeniseur découpe le texte en jetons, puis chaque jeton reçoit un identifiant.",
    "Les données d'entraînement sont mélangées à chaque époque.",
    "La perte d'entraînement baisse, la perte de validation aussi, puis elle remonte : c'est le surapprentissage.",
    "Le taux d'apprentissage règle la taille des pas de la descente de gradient.",
    "Les réseaux convolutifs partagent leurs paramètres entre les positions de l'image.",
    "L'attention pondère les jetons selon leur pertinence pour le jeton courant.",
    "Le modèle de langue prédit le jeton suivant à partir des jetons précédents.",
] * 20  # répété : les fréquences comptent, pas la diversité

tokeniseur = Tokenizer(models.BPE())
tokeniseur.normalizer = normalizers.NFC()  # « é » composé ou décomposé donne les mêmes octets
# ByteLevel : chaque octet devient un caractère visible ; « Ġ » marque une espace devant le mot.
tokeniseur.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
tokeniseur.decoder = decoders.ByteLevel()
entraineur = trainers.BpeTrainer(
    vocab_size=400,
    min_frequency=2,
    special_tokens=["<pad>", "<fin>"],
    show_progress=False,
    initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),  # les 256 octets, même ceux absents du corpus
)
tokeniseur.train_from_iterator(CORPUS, trainer=entraineur)

vocab = tokeniseur.get_vocab_size()
print(f"Taille du vocabulaire : {vocab} (2 spéciaux + 256 octets + {vocab - 258} fusions)")
assert vocab == 400

# Les fusions, dans l'ordre où elles ont été apprises, se lisent dans la sérialisation JSON.
# « Ã + © » est le « é » : ses deux octets UTF-8 (0xC3 0xA9) vus à travers l'alphabet ByteLevel.
fusions = json.loads(tokeniseur.to_str())["model"]["merges"][:8]
print("Premières fusions apprises :", [" + ".join(f) if isinstance(f, list) else f for f in fusions])

phrase = "La descente de gradient met à jour les paramètres."
codage = tokeniseur.encode(phrase)
print(f"Phrase : {phrase!r}")
print(f"{len(codage.ids)} jetons pour {len(phrase)} caractères et {len(phrase.encode())} octets")
for jeton, (debut, fin) in list(zip(codage.tokens, codage.offsets, strict=True))[:8]:
    print(f"  {jeton!r:14s} ← texte[{debut}:{fin}] = {phrase[debut:fin]!r}")
assert tokeniseur.decode(codage.ids) == phrase
assert len(codage.ids) < len(phrase.encode()) / 2, "le BPE devrait compresser un texte proche du corpus"

# Un texte étranger au corpus : découpé plus finement, mais jamais perdu (pas de jeton inconnu).
inconnu = "Ça marche aussi en 日本語 et avec des émojis 🙂."
codes_inconnu = tokeniseur.encode(inconnu).ids
print(f"Texte hors corpus : {len(codes_inconnu)} jetons, décodage exact : {tokeniseur.decode(codes_inconnu) == inconnu}")
assert tokeniseur.decode(codes_inconnu) == inconnu

# --- Enregistrement et usage depuis transformers -------------------------------------------------------
tokeniseur.save("tokenizer.json")
rapide = PreTrainedTokenizerFast(tokenizer_file="tokenizer.json", pad_token="<pad>", eos_token="<fin>")
lot = rapide(["Le gradient baisse.", phrase], padding=True)
print("Lot rembourré par transformers :", [len(ids) for ids in lot["input_ids"]], "jetons ; masque :", lot["attention_mask"][0])
assert lot["input_ids"][1] == codage.ids
assert rapide.decode(lot["input_ids"][0], skip_special_tokens=True) == "Le gradient baisse."
