# /// script
# requires-python = ">=3.11"
# dependencies = ["optuna>=4", "scikit-learn>=1.5", "numpy>=2", "matplotlib>=3.8"]
#
# [tool.kb]
# title = "Optuna : recherche bayésienne (TPE) d'hyperparamètres avec élagage des essais médiocres"
# illustrates = ["Optuna", "Taux d'apprentissage", "Régularisation", "scikit-learn"]
# device = "cpu"
# timeout = 180
# env = { OMP_NUM_THREADS = "2" }
# ///
"""Une étude Optuna : des essais, un espace de recherche défini *dans* la fonction objectif, un élagueur.

On règle un classifieur linéaire (``SGDClassifier``, perte logistique) sur
digits : force de régularisation et taux d'apprentissage en échelle
logarithmique, type de pénalité et de calendrier en catégories. Chaque essai
entraîne époque par époque (``partial_fit``) et rapporte sa précision de
validation ; le ``MedianPruner`` arrête ceux qui font moins bien que la
médiane des essais précédents au même stade. L'échantillonneur TPE a une
graine : la même étude relancée donne les mêmes essais. L'étude est stockée
dans un journal sur disque et peut être reprise.
"""

import warnings

import matplotlib.pyplot as plt
import numpy as np
import optuna
from optuna.storages import JournalStorage
from optuna.storages.journal import JournalFileBackend
from sklearn.datasets import load_digits
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

optuna.logging.set_verbosity(optuna.logging.WARNING)  # pas une ligne par essai
warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)  # JournalFileBackend

X, y = load_digits(return_X_y=True)
X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
scaler = StandardScaler().fit(X_train)
X_train, X_val = scaler.transform(X_train), scaler.transform(X_val)
CLASSES = np.unique(y)
EPOQUES = 15


def objectif(essai: optuna.Trial) -> float:
    # L'espace de recherche est déclaré au fil du code : chaque suggest_* crée une dimension.
    alpha = essai.suggest_float("alpha", 1e-6, 1e-1, log=True)
    calendrier = essai.suggest_categorical("learning_rate", ["constant", "invscaling", "adaptive"])
    eta0 = essai.suggest_float("eta0", 1e-4, 1.0, log=True)
    penalite = essai.suggest_categorical("penalty", ["l2", "l1"])
    modele = SGDClassifier(loss="log_loss", alpha=alpha, learning_rate=calendrier, eta0=eta0, penalty=penalite, random_state=0)
    rng = np.random.default_rng(0)
    for epoque in range(EPOQUES):
        ordre = rng.permutation(len(X_train))
        modele.partial_fit(X_train[ordre], y_train[ordre], classes=CLASSES)
        precision = modele.score(X_val, y_val)
        essai.report(precision, epoque)  # valeur intermédiaire, vue par l'élagueur
        if essai.should_prune():
            raise optuna.TrialPruned()
    return precision


def lancer(nom: str, n_essais: int) -> optuna.Study:
    stockage = JournalStorage(JournalFileBackend(f"{nom}.log"))  # un fichier journal, sans serveur
    etude = optuna.create_study(
        study_name=nom,
        storage=stockage,
        direction="maximize",
        sampler=optuna.samplers.TPESampler(seed=0, n_startup_trials=8),  # 8 essais au hasard, puis TPE
        pruner=optuna.pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=3),
        load_if_exists=True,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # avertissements de convergence des essais médiocres
        etude.optimize(objectif, n_trials=n_essais)
    return etude


etude = lancer("etude", 30)
etats = [e.state for e in etude.trials]
termines = etats.count(optuna.trial.TrialState.COMPLETE)
elagues = etats.count(optuna.trial.TrialState.PRUNED)
print(f"Essais : {len(etude.trials)} ({termines} terminés, {elagues} élagués)")
print(f"Meilleure précision de validation : {etude.best_value:.4f} (essai n° {etude.best_trial.number})")
print("Meilleurs hyperparamètres :", {k: round(v, 6) if isinstance(v, float) else v for k, v in etude.best_params.items()})
assert etude.best_value > 0.93 and elagues > 0

# Reproductibilité : une étude neuve, même graine, mêmes essais.
autre = lancer("etude_bis", 30)
assert autre.best_params == etude.best_params and autre.best_value == etude.best_value
print("Nouvelle étude avec la même graine : mêmes meilleurs hyperparamètres")

# Reprise : 10 essais de plus dans l'étude enregistrée (load_if_exists) ; l'historique est conservé.
etude = lancer("etude", 10)
print(f"Après reprise : {len(etude.trials)} essais dans le journal, meilleure précision {etude.best_value:.4f}")
assert len(etude.trials) == 40

valeurs = [e.value if e.state == optuna.trial.TrialState.COMPLETE else np.nan for e in etude.trials]
plt.figure(figsize=(6, 4))
plt.plot(range(len(valeurs)), valeurs, "o", label="essai terminé")
plt.plot(range(len(valeurs)), np.fmax.accumulate(np.nan_to_num(valeurs, nan=0.0)), "-", label="meilleur jusqu'ici")
for e in etude.trials:
    if e.state == optuna.trial.TrialState.PRUNED:
        plt.axvline(e.number, color="lightgray", zorder=0)
plt.ylim(0.8, 1.0)
plt.xlabel("essai (gris : élagué)")
plt.ylabel("précision de validation")
plt.title("Optuna, TPE + MedianPruner sur digits")
plt.legend()
plt.tight_layout()
plt.savefig("historique_optuna.png", dpi=100)
print("Figure enregistrée : historique_optuna.png")
