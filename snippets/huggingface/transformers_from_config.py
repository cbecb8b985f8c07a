# /// script
# requires-python = ">=3.11"
# dependencies = ["transformers>=5.20,<6", "torch==2.14.1", "safetensors>=0.6", "matplotlib>=3.8"]
#
# [tool.kb]
# title = "Un petit GPT-2 construit depuis sa configuration, entraîné puis rechargé, sans rien télécharger"
# illustrates = ["Hugging Face Transformers", "Transformer (architecture)", "Traitement automatique du langage naturel"]
# device = "cpu"
# timeout = 180
# env = { OMP_NUM_THREADS = "2", HF_HUB_OFFLINE = "1", TRANSFORMERS_VERBOSITY = "error" }
# ///
"""``from_pretrained`` télécharge des poids ; ``GPT2Config`` + ``GPT2LMHeadModel(config)`` n'en a pas besoin.

On décrit un GPT-2 minuscule (2 couches, 2 têtes, 64 dimensions) dont le
vocabulaire est celui des 256 octets : aucun tokeniseur à télécharger, le texte
est encodé en UTF-8. Le modèle apprend par cœur une phrase (la perte chute),
``generate`` la restitue à partir de son début, puis ``save_pretrained`` écrit
``config.json`` et ``model.safetensors`` dans un dossier local que
``from_pretrained`` relit à l'identique.
"""

import json
from pathlib import Path

import matplotlib.pyplot as plt
import torch
from transformers import GPT2Config, GPT2LMHeadModel

torch.manual_seed(0)
TEXTE = "Le chat dort sur le canapé pendant que la pluie tombe sur Paris."


def encoder(texte: str) -> torch.Tensor:
    """Un jeton par octet UTF-8 (le « é » en donne deux)."""
    return torch.tensor([list(texte.encode("utf-8"))])


def decoder(ids: torch.Tensor) -> str:
    return bytes(ids.tolist()).decode("utf-8", errors="replace")


config = GPT2Config(vocab_size=256, n_positions=128, n_embd=64, n_layer=2, n_head=2, bos_token_id=0, eos_token_id=0)
modele = GPT2LMHeadModel(config)  # poids initialisés au hasard, comme avant un pré-entraînement
print(f"Paramètres : {modele.num_parameters():,}".replace(",", " "))
print(f"Couches : {config.n_layer}, têtes : {config.n_head}, dimension : {config.n_embd}")

ids = encoder(TEXTE)
optimiseur = torch.optim.AdamW(modele.parameters(), lr=3e-3)
pertes = []
modele.train()
for pas in range(150):
    # Avec labels=ids, le modèle décale lui-même les cibles d'un jeton et renvoie l'entropie croisée.
    sortie = modele(input_ids=ids, labels=ids)
    optimiseur.zero_grad()
    sortie.loss.backward()
    optimiseur.step()
    pertes.append(sortie.loss.item())
    if pas % 50 == 0 or pas == 149:
        print(f"pas {pas:3d} : perte {sortie.loss.item():.4f}")
assert pertes[-1] < pertes[0] / 10

modele.eval()
debut = encoder("Le chat")
with torch.no_grad():
    genere = modele.generate(debut, max_new_tokens=ids.shape[1] - debut.shape[1], do_sample=False, pad_token_id=0)
texte_genere = decoder(genere[0])
print("Génération gloutonne à partir de « Le chat » :", texte_genere)
assert texte_genere == TEXTE, "le modèle devrait restituer la phrase apprise"

# --- Sauvegarde et rechargement locaux ------------------------------------------------------------
dossier = Path("mini-gpt2")
modele.save_pretrained(dossier)
print("Fichiers écrits :", sorted(p.name for p in dossier.iterdir()))
print("Extrait de config.json :", {k: json.loads((dossier / "config.json").read_text())[k] for k in ("model_type", "n_layer", "vocab_size")})
recharge = GPT2LMHeadModel.from_pretrained(dossier)  # un chemin local : aucun accès au Hub
with torch.no_grad():
    identiques = torch.equal(modele(ids).logits, recharge(ids).logits)
print("Logits identiques après rechargement :", identiques)
assert identiques

plt.figure(figsize=(6, 4))
plt.plot(pertes)
plt.yscale("log")
plt.xlabel("pas")
plt.ylabel("entropie croisée (par octet)")
plt.title("Mini GPT-2 construit depuis GPT2Config")
plt.tight_layout()
plt.savefig("perte_gpt2.png", dpi=100)
print("Figure enregistrée : perte_gpt2.png")
