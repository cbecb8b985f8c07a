# /// script
# requires-python = ">=3.11"
# dependencies = ["torch==2.14.1"]
#
# [tool.kb]
# title = "Chronométrer un produit matriciel sur CPU et sur GPU"
# illustrates = ["GPU", "CUDA", "Tenseur", "Présentation de PyTorch"]
# device = "gpu"
# timeout = 180
# env = {}
# ///
"""Mesure honnête d'un produit matriciel float32 4096 × 4096 sur CPU puis sur GPU.

Les noyaux CUDA sont lancés de façon asynchrone : sans torch.cuda.synchronize,
le chronomètre ne mesurerait que le temps de mise en file d'attente. On écarte
aussi le premier appel (initialisation du contexte CUDA, choix des noyaux
cuBLAS) par un échauffement. Les durées dépendent de la machine.
"""

import time

import torch

if not torch.cuda.is_available():
    raise SystemExit("Ce script demande un GPU CUDA (aucun n'est visible).")

torch.manual_seed(0)
# Par défaut, PyTorch n'utilise pas TF32 pour les produits float32 : comparaison à précision égale.
torch.backends.cuda.matmul.allow_tf32 = False

N = 4096
operations = 2 * N**3  # multiplications et additions d'un produit N × N


def duree_moyenne(a: torch.Tensor, b: torch.Tensor, repetitions: int) -> float:
    """Durée moyenne d'un produit a @ b en secondes, synchronisée si le calcul est sur GPU."""
    sur_gpu = a.is_cuda

    def synchroniser() -> None:
        if sur_gpu:
            torch.cuda.synchronize()  # attend que tous les noyaux lancés soient terminés

    a @ b  # échauffement
    synchroniser()
    debut = time.perf_counter()
    for _ in range(repetitions):
        a @ b
    synchroniser()
    return (time.perf_counter() - debut) / repetitions


a_cpu = torch.randn(N, N)
b_cpu = torch.randn(N, N)
a_gpu, b_gpu = a_cpu.cuda(), b_cpu.cuda()

t_cpu = duree_moyenne(a_cpu, b_cpu, repetitions=3)
t_gpu = duree_moyenne(a_gpu, b_gpu, repetitions=20)

print(f"Carte                 : {torch.cuda.get_device_name(0)}")
print(f"Threads CPU utilisés  : {torch.get_num_threads()}")
print(f"CPU : {t_cpu * 1000:9.2f} ms par produit ({operations / t_cpu / 1e9:8.1f} GFLOP/s)")
print(f"GPU : {t_gpu * 1000:9.2f} ms par produit ({operations / t_gpu / 1e9:8.1f} GFLOP/s)")
print(f"Rapport CPU / GPU : {t_cpu / t_gpu:.1f}")

# Les deux résultats doivent concorder (l'ordre des additions diffère : tolérance relative).
ecart = ((a_gpu @ b_gpu).cpu() - a_cpu @ b_cpu).abs().max().item()
print(f"Résultats CPU et GPU concordants : {ecart < 1e-2 * N**0.5}")
assert ecart < 1e-2 * N**0.5
