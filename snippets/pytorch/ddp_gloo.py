# /// script
# requires-python = ">=3.11"
# dependencies = ["torch==2.14.1", "scikit-learn>=1.5"]
#
# [tool.kb]
# title = "DistributedDataParallel sur deux processus CPU (gloo) : gradients moyennés, poids identiques"
# illustrates = ["DistributedDataParallel (DDP)", "Entraînement distribué", "Présentation de PyTorch"]
# device = "cpu"
# timeout = 180
# env = { OMP_NUM_THREADS = "1", MASTER_ADDR = "127.0.0.1" }
# ///
"""Deux processus, un réplica du modèle chacun, reliés par le moteur de communication gloo.

``torch.multiprocessing.spawn`` lance deux processus (rangs 0 et 1) qui
rejoignent le même groupe par ``init_process_group`` (adresse 127.0.0.1, port
libre choisi au lancement). ``DistributedSampler`` donne à chacun une moitié
disjointe des données ; ``DistributedDataParallel`` fait, pendant
``backward()``, une moyenne (all-reduce) des gradients entre processus. Les
deux réplicas partent des mêmes poids (diffusés par le rang 0) et restent donc
identiques pas après pas. On vérifie enfin que le résultat est celui d'un
entraînement sur un seul processus avec des lots deux fois plus grands.
"""

import os
import socket

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from sklearn.datasets import load_digits
from sklearn.preprocessing import StandardScaler
from torch import nn
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

MONDE = 2  # nombre de processus
LOT = 32  # taille de lot par processus : lot global de 64
EPOQUES = 3


def donnees() -> TensorDataset:
    X, y = load_digits(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    return TensorDataset(torch.tensor(X, dtype=torch.float32), torch.tensor(y))


def modele_initial() -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))


def travailleur(rang: int, port: int, file: mp.Queue) -> None:
    """Code exécuté par chaque processus ; ``rang`` est fourni par mp.spawn."""
    os.environ["MASTER_PORT"] = str(port)
    dist.init_process_group("gloo", rank=rang, world_size=MONDE)
    jeu = donnees()
    # Chaque rang voit une moitié différente des exemples, mélangée de la même façon à chaque époque.
    echantillonneur = DistributedSampler(jeu, num_replicas=MONDE, rank=rang, shuffle=True, seed=0)
    chargeur = DataLoader(jeu, batch_size=LOT, sampler=echantillonneur, drop_last=True)
    modele = DDP(modele_initial())  # le constructeur diffuse les poids du rang 0 à tous
    optimiseur = torch.optim.SGD(modele.parameters(), lr=0.1)
    pertes = []
    for epoque in range(EPOQUES):
        echantillonneur.set_epoch(epoque)  # sinon le même ordre à chaque époque
        for xb, yb in chargeur:
            optimiseur.zero_grad()
            perte = nn.functional.cross_entropy(modele(xb), yb)
            perte.backward()  # ici, DDP moyenne les gradients entre les deux processus
            optimiseur.step()
            pertes.append(perte.item())
    # Vérification : les poids des deux réplicas sont-ils identiques ?
    vecteur = torch.cat([p.detach().flatten() for p in modele.parameters()])
    tous = [torch.empty_like(vecteur) for _ in range(MONDE)]
    dist.all_gather(tous, vecteur)
    if rang == 0:
        # Les poids partent en liste : un tenseur passerait par une mémoire partagée qui disparaît avec le processus.
        file.put({"pas": len(pertes), "perte_debut": pertes[0], "perte_fin": pertes[-1],
                  "ecart_replicas": (tous[0] - tous[1]).abs().max().item(), "poids": vecteur.tolist()})
    dist.destroy_process_group()


def reference_un_processus() -> torch.Tensor:
    """Même calcul sur un seul processus : lots globaux de 64 = réunion des deux demi-lots."""
    jeu = donnees()
    modele = modele_initial()
    optimiseur = torch.optim.SGD(modele.parameters(), lr=0.1)
    samplers = [DistributedSampler(jeu, num_replicas=MONDE, rank=r, shuffle=True, seed=0) for r in range(MONDE)]
    for epoque in range(EPOQUES):
        indices = []
        for s in samplers:
            s.set_epoch(epoque)
            indices.append(list(s))
        for debut in range(0, len(indices[0]) - LOT + 1, LOT):
            # La perte moyenne sur 64 exemples a pour gradient la moyenne des gradients des deux demi-lots.
            lot = torch.tensor(indices[0][debut : debut + LOT] + indices[1][debut : debut + LOT])
            optimiseur.zero_grad()
            nn.functional.cross_entropy(modele(jeu.tensors[0][lot]), jeu.tensors[1][lot]).backward()
            optimiseur.step()
    return torch.cat([p.detach().flatten() for p in modele.parameters()])


if __name__ == "__main__":
    with socket.socket() as s:  # un port TCP libre sur la boucle locale
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    contexte = mp.get_context("spawn")
    file = contexte.SimpleQueue()
    mp.spawn(travailleur, args=(port, file), nprocs=MONDE, join=True)
    bilan = file.get()
    print(f"Processus : {MONDE} (gloo), pas d'optimisation par processus : {bilan['pas']}")
    print(f"Perte du rang 0 : {bilan['perte_debut']:.4f} au premier pas → {bilan['perte_fin']:.4f} au dernier")
    print(f"Écart maximal entre les poids des deux réplicas : {bilan['ecart_replicas']:.2e}")
    assert bilan["ecart_replicas"] == 0.0, "les réplicas DDP doivent rester identiques"
    assert bilan["perte_fin"] < bilan["perte_debut"] / 2
    ecart = (torch.tensor(bilan["poids"]) - reference_un_processus()).abs().max().item()
    print(f"Écart avec un seul processus et des lots de {MONDE * LOT} : {ecart:.2e}")
    assert ecart < 1e-5, "DDP doit reproduire l'entraînement à lot global équivalent"
