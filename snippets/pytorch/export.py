# /// script
# requires-python = ">=3.11"
# dependencies = ["torch==2.14.1", "scikit-learn>=1.5"]
#
# [tool.kb]
# title = "Capturer un MLP avec torch.export, l'enregistrer et le recharger"
# illustrates = ["torch.export", "Déploiement et inférence en production", "Présentation de PyTorch"]
# device = "cpu"
# timeout = 120
# env = { OMP_NUM_THREADS = "2" }
# ///
"""torch.export sur un petit MLP entraîné sur digits.

torch.export.export trace le modèle en un graphe complet (ExportedProgram) sans
code Python arbitraire, avec une dimension de lot déclarée dynamique. On exécute
le programme exporté, on compare ses sorties au modèle d'origine, puis on
l'enregistre dans un fichier .pt2 et on le recharge comme le ferait un serveur
d'inférence.
"""

import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch import nn
from torch.export import Dim

torch.manual_seed(0)
torch.use_deterministic_algorithms(True)

# --- Un MLP rapidement entraîné (quelques époques en plein lot) ------------------
X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X / 16.0, y, test_size=0.25, random_state=0, stratify=y)
X_train, X_test = torch.tensor(X_train, dtype=torch.float32), torch.tensor(X_test, dtype=torch.float32)
y_train, y_test = torch.tensor(y_train), torch.tensor(y_test)


class MLP(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.cachee = nn.Linear(64, 64)
        self.sortie = nn.Linear(64, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.sortie(torch.relu(self.cachee(x)))


modele = MLP()
optimiseur = torch.optim.Adam(modele.parameters(), lr=1e-2)
for _ in range(100):
    optimiseur.zero_grad()
    nn.functional.cross_entropy(modele(X_train), y_train).backward()
    optimiseur.step()
modele.eval()

# --- Export ---------------------------------------------------------------------
# L'exemple d'entrée fixe les types ; Dim déclare que la taille du lot peut varier.
exemple = (X_test[:8],)
lot = Dim("lot", min=1, max=4096)
programme = torch.export.export(modele, exemple, dynamic_shapes={"x": {0: lot}})
print("Graphe exporté (opérateurs ATen) :")
for noeud in programme.graph.nodes:
    if noeud.op == "call_function":
        print(f"  {noeud.target}")
print(f"Signature des entrées : {[spec.arg.name for spec in programme.graph_signature.input_specs]}")

# --- Exécution du programme exporté ---------------------------------------------
# .module() renvoie un nn.Module appelable qui exécute le graphe capturé.
execute = programme.module()
with torch.no_grad():
    attendu = modele(X_test)
    obtenu = execute(X_test)  # 450 lignes alors que l'export a vu un lot de 8
ecart = (attendu - obtenu).abs().max().item()
print(f"Forme de sortie : {tuple(obtenu.shape)}")
print(f"Sorties identiques au modèle d'origine (à 1e-6 près) : {ecart < 1e-6}")
assert ecart < 1e-6

# Les formes sont vérifiées à l'appel : seule la dimension déclarée dynamique peut changer.
try:
    execute(torch.zeros(3, 32))
except Exception as erreur:  # le type exact de l'erreur dépend de la version de PyTorch
    print(f"Entrée (3, 32) refusée : {type(erreur).__name__}")
else:
    raise AssertionError("une entrée de 32 colonnes aurait dû être refusée")

# --- Enregistrement et rechargement ---------------------------------------------
torch.export.save(programme, "mlp_digits.pt2")
recharge = torch.export.load("mlp_digits.pt2")
with torch.no_grad():
    apres_rechargement = recharge.module()(X_test)
precision = (apres_rechargement.argmax(dim=1) == y_test).float().mean().item()
print(f"Rechargé depuis mlp_digits.pt2, identique : {torch.equal(apres_rechargement, obtenu)}")
print(f"Précision de test du programme rechargé : {precision:.4f}")
assert torch.equal(apres_rechargement, obtenu)
