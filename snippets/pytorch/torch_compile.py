# /// script
# requires-python = ">=3.11"
# dependencies = ["torch==2.14.1"]
#
# [tool.kb]
# title = "torch.compile : même résultat, coût de compilation et régime permanent"
# illustrates = ["TorchDynamo et torch.compile", "Compilation JIT", "Graphe de calcul dynamique", "Présentation de PyTorch"]
# device = "cpu"
# timeout = 240
# env = { OMP_NUM_THREADS = "2" }
# ///
"""Compare un petit modèle exécuté en mode eager et le même modèle passé à torch.compile.

TorchDynamo capture le graphe au premier appel, puis Inductor génère du code
(C++/OpenMP sur CPU, d'où le besoin d'un compilateur). On vérifie que les
sorties concordent, puis on mesure séparément le premier appel (qui inclut la
compilation) et les appels suivants. Sur un modèle aussi petit, exécuté sur
CPU, le gain en régime permanent peut être nul, voire négatif : les chiffres
affichés dépendent de la machine et ne sont pas reproductibles à l'identique.
"""

import os
import time
from pathlib import Path

import torch
import torch._inductor.config
from torch import nn

# Inductor met en cache le code généré, par défaut sous /tmp. On le garde dans le dossier
# courant (variable lue à la compilation, donc avant le premier appel compilé suffit) et on
# renonce aux en-têtes précompilés, qui iraient toujours dans /tmp.
os.environ["TORCHINDUCTOR_CACHE_DIR"] = str(Path.cwd() / "cache_inductor")
torch._inductor.config.cpp_cache_precompile_headers = False
torch.manual_seed(0)


class Bloc(nn.Module):
    """MLP avec normalisation et activation GELU : plusieurs opérations élémentaires qu'Inductor peut fusionner."""

    def __init__(self, largeur: int = 256) -> None:
        super().__init__()
        self.norme = nn.LayerNorm(largeur)
        self.entree = nn.Linear(largeur, 4 * largeur)
        self.sortie = nn.Linear(4 * largeur, largeur)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.sortie(nn.functional.gelu(self.entree(self.norme(x))))


def chronometre(fonction, x: torch.Tensor, repetitions: int) -> float:
    """Durée moyenne d'un appel, en millisecondes."""
    debut = time.perf_counter()
    for _ in range(repetitions):
        fonction(x)
    return (time.perf_counter() - debut) / repetitions * 1000


modele = nn.Sequential(Bloc(), Bloc()).eval()
x = torch.randn(64, 256)

# torch.compile ne modifie pas le modèle : il renvoie un objet qui l'enveloppe.
compile_ = torch.compile(modele)

with torch.inference_mode():
    # Premier appel : capture du graphe + génération et compilation du code.
    debut = time.perf_counter()
    sortie_compilee = compile_(x)
    premier_appel = time.perf_counter() - debut

    sortie_eager = modele(x)
    ecart = (sortie_compilee - sortie_eager).abs().max().item()
    # Les noyaux fusionnés ne font pas les opérations flottantes dans le même ordre : égalité à une tolérance près.
    concordance = torch.allclose(sortie_compilee, sortie_eager, rtol=1e-4, atol=1e-4)
    print(f"Sorties eager et compilée proches (tolérance 1e-4) : {concordance}")
    assert concordance, f"écart max {ecart}"

    # Régime permanent : quelques appels d'échauffement, puis la mesure.
    for _ in range(5):
        modele(x)
        compile_(x)
    ms_eager = chronometre(modele, x, 200)
    ms_compile = chronometre(compile_, x, 200)

print(f"Premier appel compilé (avec compilation) : {premier_appel:.2f} s")
print(f"Appel eager moyen                        : {ms_eager:.3f} ms")
print(f"Appel compilé moyen (régime permanent)   : {ms_compile:.3f} ms")
print(f"Rapport eager / compilé                  : {ms_eager / ms_compile:.2f}")
appels = premier_appel * 1000 / max(ms_eager - ms_compile, 1e-9)
if ms_compile < ms_eager:
    print(f"La compilation est amortie après environ {appels:.0f} appels.")
else:
    print("Aucun gain ici : sur un si petit modèle CPU, le surcoût d'appel domine.")
