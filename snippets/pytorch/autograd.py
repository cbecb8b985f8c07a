# /// script
# requires-python = ">=3.11"
# dependencies = ["torch==2.14.1"]
#
# [tool.kb]
# title = "La différentiation automatique avec torch.autograd"
# illustrates = ["Différentiation automatique", "Graphe de calcul dynamique", "Rétropropagation", "Présentation de PyTorch"]
# device = "cpu"
# timeout = 60
# env = { OMP_NUM_THREADS = "2" }
# ///
"""Autograd en pratique.

requires_grad et backward sur une fonction dont on connaît la dérivée, graphe
reconstruit à chaque appel (le flot de contrôle Python décide des opérations
enregistrées), accumulation des gradients et désactivation par torch.no_grad.
"""

import math

import torch

torch.manual_seed(0)
torch.use_deterministic_algorithms(True)

# --- 1. Gradient d'une fonction scalaire, comparé à la dérivée analytique ------
# f(x) = x³·sin(x)  donc  f'(x) = 3x²·sin(x) + x³·cos(x)
x = torch.tensor(1.3, dtype=torch.float64, requires_grad=True)
f = x**3 * torch.sin(x)
f.backward()  # remplit x.grad en parcourant le graphe à rebours
analytique = 3 * 1.3**2 * math.sin(1.3) + 1.3**3 * math.cos(1.3)
print(f"f(1.3)               = {f.item():.6f}")
print(f"autograd  f'(1.3)    = {x.grad.item():.6f}")
print(f"analytique f'(1.3)   = {analytique:.6f}")
assert abs(x.grad.item() - analytique) < 1e-12

# Le graphe est visible : chaque tenseur produit garde la fonction qui l'a créé.
print(f"nœud racine du graphe : {type(f.grad_fn).__name__}")

# --- 2. Gradient par rapport à un vecteur de paramètres -----------------------
# Perte quadratique L(w) = ||A w - b||² ; gradient exact : 2 Aᵀ (A w - b)
A = torch.randn(5, 3, dtype=torch.float64)
b = torch.randn(5, dtype=torch.float64)
w = torch.zeros(3, dtype=torch.float64, requires_grad=True)
perte = ((A @ w - b) ** 2).sum()
perte.backward()
attendu = 2 * A.T @ (A @ w.detach() - b)
print(f"gradient vectoriel conforme : {torch.allclose(w.grad, attendu)}")
assert torch.allclose(w.grad, attendu)

# --- 3. Graphe dynamique : le flot de contrôle Python fait partie du modèle ----


def puissance_iteree(x: torch.Tensor) -> tuple[torch.Tensor, int]:
    """Élève x au carré tant que le résultat reste sous 100 : le nombre d'étapes dépend de la valeur."""
    y = x
    etapes = 0
    while y.abs() < 100:  # condition évaluée en Python, à chaque appel
        y = y * y
        etapes += 1
    return y, etapes


for valeur in (1.5, 3.0):
    x = torch.tensor(valeur, dtype=torch.float64, requires_grad=True)
    y, k = puissance_iteree(x)
    y.backward()  # ne traverse que les k multiplications réellement exécutées
    # Après k mises au carré, y = x^(2^k) donc dy/dx = 2^k · x^(2^k - 1)
    derivee = 2**k * valeur ** (2**k - 1)
    print(f"  x={valeur:.1f} : {k} mises au carré enregistrées")
    print(f"  dy/dx autograd={x.grad.item():.4f}  attendu={derivee:.4f}")
    assert math.isclose(x.grad.item(), derivee, rel_tol=1e-12)

# --- 4. Les gradients s'accumulent : il faut les remettre à zéro -------------
x = torch.tensor(2.0, requires_grad=True)
for _ in range(3):
    (x**2).backward()
print(f"après 3 backward sans remise à zéro : x.grad = {x.grad.item()} (3 × 4)")
x.grad = None  # ce que fait optimizer.zero_grad() pour chaque paramètre

# --- 5. torch.no_grad : calculer sans construire de graphe --------------------
poids = torch.randn(3, requires_grad=True)
with torch.no_grad():
    prediction = poids * 2  # pas de graphe : utile en évaluation ou pour mettre à jour les poids
print(f"dans no_grad   : requires_grad={prediction.requires_grad}, grad_fn={prediction.grad_fn}")
hors = poids * 2
print(f"hors no_grad   : requires_grad={hors.requires_grad}, grad_fn={type(hors.grad_fn).__name__}")
# .detach() donne le même résultat pour un seul tenseur
print(f"detach         : requires_grad={hors.detach().requires_grad}")
