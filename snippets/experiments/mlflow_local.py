# /// script
# requires-python = ">=3.11"
# dependencies = ["mlflow-skinny>=3", "sqlalchemy>=2", "alembic>=1.10", "scikit-learn>=1.5", "numpy>=2", "matplotlib>=3.8"]
#
# [tool.kb]
# title = "MLflow sans serveur : suivre paramètres, métriques et artefacts dans un dossier local"
# illustrates = ["MLflow", "Régularisation", "scikit-learn"]
# device = "cpu"
# timeout = 180
# env = { OMP_NUM_THREADS = "2", MLFLOW_ENABLE_ASYNC_LOGGING = "false" }
# ///
"""Le suivi d'expériences MLflow en local, sans serveur : une base SQLite et un dossier d'artefacts.

Chaque exécution (*run*) d'une expérience enregistre ses paramètres, des
métriques indexées par pas (ici la précision de validation à chaque époque),
des étiquettes et des fichiers (*artefacts* : une figure, un rapport JSON).
On compare trois forces de régularisation L2 d'une régression logistique
entraînée par SGD sur le jeu breast cancer, puis on interroge le dossier avec
``mlflow.search_runs`` comme on le ferait depuis un carnet d'analyse, et l'on
vérifie que l'historique relu correspond à ce qui a été enregistré.
"""

import json
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import mlflow
import numpy as np
from mlflow.tracking import MlflowClient
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

warnings.filterwarnings("ignore", category=FutureWarning)
# Dans MLflow 3 (3.17 ici), le stockage « fichiers » (./mlruns) est en maintenance et refusé par défaut
# (MLFLOW_ALLOW_FILE_STORE=true le réautorise) : les métadonnées vont donc dans une base SQLite et les
# artefacts dans un dossier, tous deux dans le dossier courant.
mlflow.set_tracking_uri("sqlite:///suivi.db")
dossier = Path("artefacts").absolute()
if mlflow.get_experiment_by_name("regularisation-sgd") is None:
    mlflow.create_experiment("regularisation-sgd", artifact_location=dossier.as_uri())
mlflow.set_experiment("regularisation-sgd")

X, y = load_breast_cancer(return_X_y=True)
X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
scaler = StandardScaler().fit(X_train)
X_train, X_val = scaler.transform(X_train), scaler.transform(X_val)

enregistre = {}
for alpha in (1e-4, 1e-2, 1.0):
    with mlflow.start_run(run_name=f"alpha={alpha:g}") as run:
        mlflow.log_params({"alpha": alpha, "loss": "log_loss", "epoques": 20})
        mlflow.set_tag("jeu", "breast_cancer")
        modele = SGDClassifier(loss="log_loss", alpha=alpha, learning_rate="constant", eta0=0.01, random_state=0)
        rng = np.random.default_rng(0)
        courbe = []
        for epoque in range(20):
            ordre = rng.permutation(len(X_train))
            modele.partial_fit(X_train[ordre], y_train[ordre], classes=[0, 1])
            courbe.append(modele.score(X_val, y_val))
            mlflow.log_metric("precision_val", courbe[-1], step=epoque)  # une série temporelle par métrique
        mlflow.log_metric("norme_poids", float(np.linalg.norm(modele.coef_)))
        # Artefacts : n'importe quel fichier, rangé avec l'exécution.
        mlflow.log_dict({"coef": modele.coef_.round(4).tolist()}, "coefficients.json")
        fig, ax = plt.subplots(figsize=(4, 3))
        ax.plot(courbe)
        ax.set_xlabel("époque")
        ax.set_ylabel("précision de validation")
        mlflow.log_figure(fig, "courbe.png")
        plt.close(fig)
        enregistre[run.info.run_id] = (alpha, courbe, float(np.linalg.norm(modele.coef_)))
        print(f"alpha={alpha:g} : précision finale {courbe[-1]:.4f}, norme des poids {enregistre[run.info.run_id][2]:.3f}")

# --- Relecture, comme depuis un autre processus --------------------------------------------------------
resultats = mlflow.search_runs(experiment_names=["regularisation-sgd"], order_by=["metrics.precision_val DESC"])
colonnes = ["tags.mlflow.runName", "params.alpha", "metrics.precision_val", "metrics.norme_poids"]
print(resultats[colonnes].to_string(index=False))
assert len(resultats) == 3

client = MlflowClient()
for run_id, (alpha, courbe, _) in enregistre.items():
    historique = client.get_metric_history(run_id, "precision_val")
    assert [m.value for m in sorted(historique, key=lambda m: m.step)] == courbe  # toute la série, pas à pas
    artefacts = sorted(a.path for a in client.list_artifacts(run_id))
    assert artefacts == ["coefficients.json", "courbe.png"], artefacts
    assert client.get_run(run_id).data.params["alpha"] == str(alpha)  # les paramètres sont stockés en texte
print("Historiques, paramètres et artefacts relus à l'identique :", artefacts)

# La régularisation réduit la norme des poids : vérifié sur ce qui a été enregistré.
normes = resultats.sort_values("params.alpha", key=lambda s: s.astype(float))["metrics.norme_poids"].tolist()
assert normes == sorted(normes, reverse=True), normes
fichiers = sum(1 for p in dossier.rglob("*") if p.is_file())
print(f"Base : suivi.db ; artefacts : {dossier.name}/ ({fichiers} fichiers) ; interface web : mlflow ui --backend-store-uri sqlite:///suivi.db")
print(json.dumps({"meilleure_execution": resultats.iloc[0]["tags.mlflow.runName"]}, ensure_ascii=False))
