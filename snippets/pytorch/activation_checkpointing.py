# /// script
# requires-python = ">=3.11"
# dependencies = ["torch==2.14.1"]
#
# [tool.kb]
# title = "Recalcul des activations (torch.utils.checkpoint) : moins de mémoire, un peu plus de calcul"
# illustrates = ["Recalcul des activations", "Rétropropagation", "Présentation de PyTorch"]
# device = "cpu"
# timeout = 180
# env = { OMP_NUM_THREADS = "2" }
# ///
"""Mesure la mémoire des activations conservées pour la rétropropagation, avec et sans recalcul.

Pendant la passe avant, autograd garde les tenseurs intermédiaires dont la
passe arrière aura besoin. ``torch.utils.checkpoint.checkpoint`` ne garde que
l'entrée de chaque bloc et refait sa passe avant au moment de ``backward()``.
On compte exactement les octets conservés grâce aux crochets
``torch.autograd.graph.saved_tensors_hooks`` (indépendant de l'allocateur), on
vérifie que les gradients sont identiques et on mesure le surcoût en temps.
"""

import time

import torch
from torch import nn
from torch.utils.checkpoint import checkpoint

torch.manual_seed(0)


class Bloc(nn.Module):
    """Bloc résiduel de type MLP de transformer : LayerNorm → Linear ×4 → GELU → Linear."""

    def __init__(self, d: int) -> None:
        super().__init__()
        self.norme, self.haut, self.bas = nn.LayerNorm(d), nn.Linear(d, 4 * d), nn.Linear(4 * d, d)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.bas(nn.functional.gelu(self.haut(self.norme(x))))


class Reseau(nn.Module):
    def __init__(self, d: int = 256, profondeur: int = 8, recalcul: bool = False) -> None:
        super().__init__()
        self.blocs = nn.ModuleList(Bloc(d) for _ in range(profondeur))
        self.recalcul = recalcul

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for bloc in self.blocs:
            # use_reentrant=False : la variante recommandée (gère les entrées sans gradient, les kwargs...).
            x = checkpoint(bloc, x, use_reentrant=False) if self.recalcul else bloc(x)
        return x


def octets_conserves(modele: nn.Module, x: torch.Tensor) -> int:
    """Octets des tenseurs qu'autograd garde pour la passe arrière, hors paramètres (qui existent de toute façon)."""
    parametres = {p.data_ptr() for p in modele.parameters()}
    vus, total = set(), 0

    def emballer(t: torch.Tensor) -> torch.Tensor:
        nonlocal total
        cle = (t.data_ptr(), t.numel())
        if t.data_ptr() not in parametres and cle not in vus:
            vus.add(cle)
            total += t.numel() * t.element_size()
        return t

    with torch.autograd.graph.saved_tensors_hooks(emballer, lambda t: t):
        modele(x).sum()
    return total


def pas(modele: nn.Module, x: torch.Tensor) -> None:
    modele.zero_grad()
    modele(x).pow(2).mean().backward()


x = torch.randn(256, 256)
normal = Reseau(recalcul=False)
recalcule = Reseau(recalcul=True)
recalcule.load_state_dict(normal.state_dict())  # mêmes poids

m_normal, m_recalcul = octets_conserves(normal, x), octets_conserves(recalcule, x)
print(f"Activations conservées sans recalcul : {m_normal / 2**20:6.1f} Mio")
print(f"Activations conservées avec recalcul : {m_recalcul / 2**20:6.1f} Mio (seulement l'entrée de chaque bloc)")
print(f"Réduction : {m_normal / m_recalcul:.1f}x")
# Entrée d'un bloc : 256×256 float32 = 0,25 Mio ; 8 blocs → 2 Mio.
assert m_recalcul == 8 * x.numel() * 4
assert m_normal > 5 * m_recalcul

# Même gradient : le recalcul refait exactement les mêmes opérations.
pas(normal, x)
pas(recalcule, x)
ecart = max((a.grad - b.grad).abs().max().item() for a, b in zip(normal.parameters(), recalcule.parameters(), strict=True))
print(f"Écart maximal entre les gradients : {ecart:.1e}")
assert ecart < 1e-6

durees = {}
for nom, modele in (("sans recalcul", normal), ("avec recalcul", recalcule)):
    pas(modele, x)  # échauffement
    debut = time.perf_counter()
    for _ in range(5):
        pas(modele, x)
    durees[nom] = (time.perf_counter() - debut) / 5 * 1000
    print(f"Durée d'un pas {nom} : {durees[nom]:.1f} ms")
# Attendu : environ une passe avant de plus, soit de l'ordre de +30 % (dépend de la machine).
print(f"Surcoût en temps : {100 * (durees['avec recalcul'] / durees['sans recalcul'] - 1):+.0f} %")
