# /// script
# requires-python = ">=3.11"
# dependencies = ["peft>=0.21", "transformers>=5.20,<6", "torch==2.14.1", "matplotlib>=3.8"]
#
# [tool.kb]
# title = "LoRA avec PEFT : adapter un petit GPT-2 en n'entraînant qu'une fraction de ses poids"
# illustrates = ["PEFT et LoRA", "Hugging Face Transformers", "Apprentissage par transfert"]
# device = "cpu"
# timeout = 240
# env = { OMP_NUM_THREADS = "2", HF_HUB_OFFLINE = "1", TRANSFORMERS_VERBOSITY = "error" }
# ///
"""LoRA : on gèle le modèle et on apprend, à côté de certaines matrices W, un produit B·A de rang r.

Un GPT-2 minuscule (vocabulaire des 256 octets) est d'abord « pré-entraîné »
sur une phrase, puis adapté à une autre par LoRA (``peft.LoraConfig``, rang 8,
sur les couches ``c_attn``, ``c_proj`` et ``c_fc`` de chaque bloc). On affiche le nombre de
paramètres entraînables face au total, la perte qui baisse, on vérifie que les
poids d'origine n'ont pas bougé, que l'adaptateur sauvegardé ne pèse que
quelques kilo-octets, et que ``merge_and_unload`` (W + B·A fusionnés) donne
les mêmes sorties que le modèle avec adaptateur.
"""

import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import torch
from peft import LoraConfig, PeftModel, get_peft_model
from transformers import GPT2Config, GPT2LMHeadModel

# Avertissement interne de transformers 5 appelé par PEFT (renommage d'une méthode), sans effet ici.
warnings.filterwarnings("ignore", category=FutureWarning)
torch.manual_seed(0)
BASE = "Le chat dort sur le canapé pendant que la pluie tombe."
CIBLE = "Le chien court dans le jardin pendant que le soleil brille."


def encoder(texte: str) -> torch.Tensor:
    return torch.tensor([list(texte.encode("utf-8"))])


def entrainer(modele, texte: str, pas: int, lr: float) -> list[float]:
    ids = encoder(texte)
    # Seuls les paramètres qui demandent un gradient sont confiés à l'optimiseur.
    optimiseur = torch.optim.AdamW([p for p in modele.parameters() if p.requires_grad], lr=lr)
    modele.train()
    pertes = []
    for _ in range(pas):
        perte = modele(input_ids=ids, labels=ids).loss
        optimiseur.zero_grad()
        perte.backward()
        optimiseur.step()
        pertes.append(perte.item())
    return pertes


def perte_sur(modele, texte: str) -> float:
    modele.eval()  # GPT-2 a du dropout (0,1 par défaut) : pas de hasard pendant les mesures
    with torch.no_grad():
        ids = encoder(texte)
        return modele(input_ids=ids, labels=ids).loss.item()


# --- 1. Le modèle « de base » --------------------------------------------------------------------
config = GPT2Config(vocab_size=256, n_positions=128, n_embd=64, n_layer=2, n_head=2, bos_token_id=0, eos_token_id=0)
base = GPT2LMHeadModel(config)
entrainer(base, BASE, 120, 3e-3)
print(f"Modèle de base : perte {perte_sur(base, BASE):.3f} sur sa phrase, {perte_sur(base, CIBLE):.3f} sur la nouvelle")
avant = {n: p.detach().clone() for n, p in base.named_parameters()}

# --- 2. Adaptation LoRA -------------------------------------------------------------------------------
# Cibles, dans chaque bloc : c_attn (projections Q, K, V), c_proj (sorties de l'attention et du MLP) et c_fc (entrée du MLP).
lora = LoraConfig(r=8, lora_alpha=16, target_modules=["c_attn", "c_proj", "c_fc"], lora_dropout=0.0, fan_in_fan_out=True)
# fan_in_fan_out=True : les couches Conv1D de GPT-2 rangent leurs poids transposés par rapport à nn.Linear.
modele = get_peft_model(base, lora)
entrainables = sum(p.numel() for p in modele.parameters() if p.requires_grad)
total = sum(p.numel() for p in modele.parameters())
print(f"Paramètres entraînables : {entrainables} sur {total} ({100 * entrainables / total:.2f} %)")
modele.print_trainable_parameters()
# LoRA ajoute r·(entrée + sortie) paramètres par matrice ciblée : 4 matrices par bloc ici.
par_bloc = 8 * ((64 + 192) + (64 + 64) + (64 + 256) + (256 + 64))
assert entrainables == config.n_layer * par_bloc and entrainables < 0.15 * total
# Sur un modèle aussi petit la part reste notable ; elle fond quand la largeur d grandit
# (r·d paramètres LoRA face à d² poids par matrice). Mêmes cibles au rang 8 sur GPT-2 « small » (d = 768, 12 blocs) :
d = 768
lora_small = 12 * 8 * ((d + 3 * d) + (d + d) + (d + 4 * d) + (4 * d + d))
print(f"Même configuration sur GPT-2 small : {lora_small} paramètres LoRA, {100 * lora_small / 124_439_808:.2f} % de ses 124 439 808")

pertes = entrainer(modele, CIBLE, 150, 1e-2)
print(f"Perte LoRA sur la nouvelle phrase : {pertes[0]:.3f} au début → {pertes[-1]:.3f} après 150 pas")
assert pertes[-1] < pertes[0] / 4

# Les poids d'origine sont intacts : seules les matrices lora_A et lora_B ont appris.
# PEFT a renommé les couches ciblées (….c_attn.base_layer.weight) : on retrouve les noms d'origine.
apres = {n.replace(".base_layer", ""): p for n, p in modele.get_base_model().named_parameters() if "lora_" not in n}
intacts = apres.keys() == avant.keys() and all(torch.equal(avant[n], p) for n, p in apres.items())
print(f"Poids du modèle de base inchangés ({len(apres)} tenseurs comparés) :", intacts)
assert intacts

# --- 3. Sauvegarde de l'adaptateur seul, puis fusion -----------------------------------------------
modele.save_pretrained("adaptateur")
taille = sum(f.stat().st_size for f in Path("adaptateur").iterdir())
print(f"Adaptateur sauvegardé : {sorted(f.name for f in Path('adaptateur').iterdir())}, {taille / 1024:.1f} kio")

ids = encoder(CIBLE)
modele.eval()
with torch.no_grad():
    logits_adapte = modele(input_ids=ids).logits
    fusionne = modele.merge_and_unload()  # W ← W + (alpha / r)·B·A ; plus de couche LoRA
    logits_fusionne = fusionne(input_ids=ids).logits
ecart = (logits_adapte - logits_fusionne).abs().max().item()
print(f"Écart maximal entre modèle adapté et modèle fusionné : {ecart:.1e} ({type(fusionne).__name__})")
assert ecart < 1e-4

# Rechargement : un modèle de base neuf aux poids d'origine + l'adaptateur enregistré.
neuf = GPT2LMHeadModel(config)
manquants = neuf.load_state_dict(avant, strict=False).missing_keys
assert manquants == ["lm_head.weight"], manquants  # lié à l'embedding wte : ce n'est pas un paramètre distinct
recharge = PeftModel.from_pretrained(neuf, "adaptateur")
print(f"Perte du modèle rechargé sur la nouvelle phrase : {perte_sur(recharge, CIBLE):.3f}")
assert abs(perte_sur(recharge, CIBLE) - perte_sur(fusionne, CIBLE)) < 1e-4

plt.figure(figsize=(6, 4))
plt.plot(pertes)
plt.yscale("log")
plt.xlabel("pas")
plt.ylabel("entropie croisée")
plt.title(f"LoRA rang 8 : {entrainables} paramètres entraînés sur {total}")
plt.tight_layout()
plt.savefig("perte_lora.png", dpi=100)
print("Figure enregistrée : perte_lora.png")
