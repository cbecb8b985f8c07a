# /// script
# requires-python = ">=3.11"
# dependencies = ["torch==2.14.1", "onnx>=1.17", "onnxruntime>=1.20", "scikit-learn>=1.5", "numpy>=2"]
#
# [tool.kb]
# title = "Exporter un modèle PyTorch en ONNX et l'exécuter avec ONNX Runtime"
# illustrates = ["ONNX", "ONNX Runtime", "Déploiement et inférence en production", "Présentation de PyTorch"]
# device = "cpu"
# timeout = 120
# env = { OMP_NUM_THREADS = "2" }
# ///
"""Du modèle PyTorch entraîné au fichier .onnx servi par ONNX Runtime.

On entraîne brièvement un petit classifieur sur le jeu wine, on l'exporte en
ONNX avec un axe de lot dynamique, on valide le fichier avec onnx.checker, puis
on l'exécute avec ONNX Runtime (sans PyTorch) et on compare les sorties.

Choix de l'exportateur : depuis PyTorch 2.9, torch.onnx.export utilise par
défaut l'exportateur fondé sur torch.export (dynamo=True), qui a besoin du
paquet onnxscript. Celui-ci fait partie des dépendances du projet (extra de
pyproject.toml) : c'est donc ce chemin qui s'exécute ici. Le script reste
utilisable sans onnxscript : il se rabat alors sur l'ancien exportateur par
trace TorchScript (dynamo=False), encore présent dans PyTorch 2.14 mais
déprécié : il émet un DeprecationWarning, que l'on masque ici. Les deux
produisent le même graphe Gemm → Relu → Gemm pour ce modèle.
"""

import importlib.util
import time
import warnings

import numpy as np
import onnx
import onnxruntime as ort
import torch
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from torch import nn

torch.manual_seed(0)
torch.use_deterministic_algorithms(True)

# --- Un petit modèle entraîné ---------------------------------------------------
X, y = load_wine(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
scaler = StandardScaler().fit(X_train)
X_train = torch.tensor(scaler.transform(X_train), dtype=torch.float32)
X_test = scaler.transform(X_test).astype(np.float32)
y_train = torch.tensor(y_train)

modele = nn.Sequential(nn.Linear(13, 32), nn.ReLU(), nn.Dropout(0.2), nn.Linear(32, 3))
optimiseur = torch.optim.Adam(modele.parameters(), lr=1e-2)
for _ in range(100):
    optimiseur.zero_grad()
    nn.functional.cross_entropy(modele(X_train), y_train).backward()
    optimiseur.step()
modele.eval()  # indispensable : le graphe exporté fige le comportement (ici, Dropout désactivé)

# --- Export ONNX ------------------------------------------------------------------
exemple = (torch.from_numpy(X_test[:4]),)
avec_dynamo = importlib.util.find_spec("onnxscript") is not None
if avec_dynamo:
    # Exportateur récent : l'axe de lot dynamique se déclare comme pour torch.export.
    torch.onnx.export(
        modele,
        exemple,
        "classifieur_vin.onnx",
        input_names=["mesures"],
        output_names=["logits"],
        dynamic_shapes=({0: torch.export.Dim("lot")},),
        dynamo=True,
        external_data=False,  # poids dans le même fichier (sinon à côté, dans un .onnx.data)
        verbose=False,  # pas de journal d'étapes sur la sortie standard
    )
else:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        torch.onnx.export(
            modele,
            exemple,
            "classifieur_vin.onnx",
            input_names=["mesures"],
            output_names=["logits"],
            dynamic_axes={"mesures": {0: "lot"}, "logits": {0: "lot"}},
            dynamo=False,
        )
print(f"Exportateur utilisé : {'torch.export (dynamo=True)' if avec_dynamo else 'TorchScript (dynamo=False)'}")

# --- Validation du fichier ----------------------------------------------------------
modele_onnx = onnx.load("classifieur_vin.onnx")
onnx.checker.check_model(modele_onnx)  # lève une exception si le graphe est invalide
print("onnx.checker : modèle valide")
print(f"Opérateurs ONNX : {[noeud.op_type for noeud in modele_onnx.graph.node]}")
entree = modele_onnx.graph.input[0]
dims = [d.dim_param or d.dim_value for d in entree.type.tensor_type.shape.dim]
print(f"Entrée '{entree.name}' de forme {dims}")

# --- Inférence avec ONNX Runtime ----------------------------------------------------
session = ort.InferenceSession("classifieur_vin.onnx", providers=["CPUExecutionProvider"])
debut = time.perf_counter()
(logits_ort,) = session.run(["logits"], {"mesures": X_test})  # tout le jeu de test, pas seulement 4 lignes
duree = time.perf_counter() - debut
with torch.no_grad():
    logits_torch = modele(torch.from_numpy(X_test)).numpy()

ecart = float(np.max(np.abs(logits_ort - logits_torch)))
print(f"Forme des sorties ONNX Runtime : {logits_ort.shape} (en {duree * 1000:.2f} ms)")
print(f"Écart absolu maximal avec PyTorch : {ecart:.1e} (tolérance 1e-5)")
assert ecart < 1e-5, f"écart {ecart}"
precision = float(np.mean(logits_ort.argmax(axis=1) == y_test))
print(f"Précision de test (ONNX Runtime) : {precision:.4f}")
