# /// script
# requires-python = ">=3.11"
# dependencies = ["onnxruntime>=1.20", "onnx>=1.17", "onnxscript>=0.5", "torch==2.14.1", "scikit-learn>=1.5", "numpy>=2", "matplotlib>=3.8"]
#
# [tool.kb]
# title = "ONNX Runtime : fournisseurs d'exécution, optimisation du graphe et quantification int8"
# illustrates = ["Fournisseurs d'exécution d'ONNX Runtime", "ONNX Runtime", "Quantification", "ONNX"]
# device = "cpu"
# timeout = 180
# env = { OMP_NUM_THREADS = "2" }
# ///
"""Une session ONNX Runtime se règle par trois choix : les fournisseurs, les optimisations, le modèle.

1. Les *fournisseurs d'exécution* (execution providers) sont les moteurs
   matériels : CPU, CUDA, TensorRT, OpenVINO, CoreML, DirectML… Le paquet
   installé n'en contient que certains ; une session les essaie dans l'ordre
   donné et place chaque nœud sur le premier qui sait l'exécuter.
2. Le niveau d'optimisation du graphe (fusion de nœuds, repliement des
   constantes) ; le graphe optimisé peut être enregistré pour être relu.
3. La quantification dynamique int8 des poids (``onnxruntime.quantization``),
   qui divise la taille par près de 4.

Le modèle est un MLP PyTorch entraîné sur digits et exporté en ONNX.
"""

import time
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import onnx
import onnxruntime as ort
import torch
from onnxruntime.quantization import QuantType, quantize_dynamic
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from torch import nn

torch.manual_seed(0)
ort.set_default_logger_severity(3)  # erreurs seulement

# --- Un MLP entraîné, exporté en ONNX ----------------------------------------------------------------
X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
scaler = StandardScaler().fit(X_train)
X_train = torch.tensor(scaler.transform(X_train), dtype=torch.float32)
X_test = scaler.transform(X_test).astype(np.float32)
modele = nn.Sequential(nn.Linear(64, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))
optimiseur = torch.optim.Adam(modele.parameters(), lr=1e-3)
for _ in range(60):
    optimiseur.zero_grad()
    nn.functional.cross_entropy(modele(X_train), torch.tensor(y_train)).backward()
    optimiseur.step()
modele.eval()
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    torch.onnx.export(modele, (torch.from_numpy(X_test[:4]),), "mlp.onnx", input_names=["x"], output_names=["logits"],
                      dynamic_shapes=({0: torch.export.Dim("lot")},), dynamo=True, external_data=False, verbose=False)
print("Nœuds du graphe exporté :", [n.op_type for n in onnx.load("mlp.onnx").graph.node])

# --- 1. Fournisseurs d'exécution --------------------------------------------------------------------------
print("Fournisseurs disponibles dans ce paquet onnxruntime :", ort.get_available_providers())
options = ort.SessionOptions()
options.intra_op_num_threads = 2
# Ordre de préférence : CUDA puis CPU, filtré par ce que le paquet contient. Le paquet « onnxruntime »
# de PyPI est celui du CPU (CUDA vient avec « onnxruntime-gpu ») : la session tourne ici sur le CPU.
demandes = ["CUDAExecutionProvider", "CPUExecutionProvider"]
session = ort.InferenceSession("mlp.onnx", options, providers=[p for p in demandes if p in ort.get_available_providers()])
print("Fournisseurs retenus par la session :", session.get_providers())
assert session.get_providers()[-1] == "CPUExecutionProvider"

# --- 2. Niveaux d'optimisation du graphe ---------------------------------------------------------------------
for niveau in (ort.GraphOptimizationLevel.ORT_DISABLE_ALL, ort.GraphOptimizationLevel.ORT_ENABLE_ALL):
    opts = ort.SessionOptions()
    opts.graph_optimization_level = niveau
    opts.optimized_model_filepath = f"mlp_{niveau.name}.onnx"  # le graphe tel que la session l'exécutera
    ort.InferenceSession("mlp.onnx", opts, providers=["CPUExecutionProvider"])
    noeuds = [n.op_type for n in onnx.load(opts.optimized_model_filepath).graph.node]
    print(f"{niveau.name:15s} : {len(noeuds)} nœuds {noeuds}")
# Avec ORT_ENABLE_ALL, les Gemm + Relu sont fusionnés en noyaux propres au CPU (domaine com.microsoft).


def evaluer(chemin: str) -> tuple[float, float, float]:
    """(taille en kio, précision, durée moyenne d'une inférence sur tout le jeu de test en ms)."""
    s = ort.InferenceSession(chemin, options, providers=["CPUExecutionProvider"])
    logits = s.run(None, {"x": X_test})[0]
    for _ in range(10):
        s.run(None, {"x": X_test})
    debut = time.perf_counter()
    for _ in range(100):
        s.run(None, {"x": X_test})
    return Path(chemin).stat().st_size / 1024, float((logits.argmax(1) == y_test).mean()), (time.perf_counter() - debut) * 10


# --- 3. Quantification dynamique int8 des poids -----------------------------------------------------------------
quantize_dynamic("mlp.onnx", "mlp_int8.onnx", weight_type=QuantType.QInt8)
print("Nœuds du graphe quantifié :", sorted({n.op_type for n in onnx.load("mlp_int8.onnx").graph.node}))
mesures = {"float32": evaluer("mlp.onnx"), "int8 dynamique": evaluer("mlp_int8.onnx")}
for nom, (taille, precision, ms) in mesures.items():
    print(f"{nom:15s} : {taille:7.1f} kio, précision {precision:.4f}, {ms:.3f} ms par inférence ({len(X_test)} exemples)")
(t32, p32, _), (t8, p8, _) = mesures["float32"], mesures["int8 dynamique"]
print(f"Taille divisée par {t32 / t8:.2f} ; écart de précision {100 * (p8 - p32):+.2f} points")
assert t32 / t8 > 3.0 and abs(p8 - p32) < 0.02

with torch.no_grad():
    reference = modele(torch.from_numpy(X_test)).numpy()
ecart = np.abs(session.run(None, {"x": X_test})[0] - reference).max()
print(f"Écart max entre PyTorch et ONNX Runtime (float32) : {ecart:.1e}")
assert ecart < 1e-4

fig, axes = plt.subplots(1, 2, figsize=(8, 3.5))
noms = list(mesures)
axes[0].bar(noms, [mesures[n][0] for n in noms], color=["tab:blue", "tab:orange"])
axes[0].set_ylabel("taille du fichier .onnx (kio)")
axes[1].bar(noms, [mesures[n][2] for n in noms], color=["tab:blue", "tab:orange"])
axes[1].set_ylabel("durée d'inférence (ms)")
fig.suptitle("ONNX Runtime, CPUExecutionProvider")
fig.tight_layout()
fig.savefig("ort_int8.png", dpi=100)
print("Figure enregistrée : ort_int8.png")
