# /// script
# requires-python = ">=3.11"
# dependencies = ["jax>=0.10", "scikit-learn>=1.5"]
#
# [tool.kb]
# title = "Gradients par exemple avec jax.vmap(jax.grad(...))"
# illustrates = ["JAX", "Différentiation automatique", "Compilation JIT"]
# device = "cpu"
# timeout = 120
# env = { JAX_PLATFORMS = "cpu" }
# ///
"""Un gradient par exemple, en un seul appel vectorisé.

Les bibliothèques classiques calculent le gradient de la perte moyenne d'un
lot : les contributions individuelles sont sommées en chemin. En JAX, on
écrit la perte d'un seul exemple, on la dérive avec ``jax.grad`` et on
vectorise le résultat avec ``jax.vmap`` : les paramètres sont partagés
(``in_axes=None``), les données sont découpées selon leur premier axe
(``in_axes=0``). Modèle : régression logistique sur le jeu breast_cancer de
scikit-learn. On vérifie le résultat contre une boucle Python, on compare
les temps avec et sans ``jax.jit``, puis on s'en sert pour écrêter chaque
gradient individuellement, comme le fait DP-SGD.
"""

import time

import jax
import jax.numpy as jnp
from sklearn.datasets import load_breast_cancer
from sklearn.preprocessing import StandardScaler

# --- Données : 569 tumeurs décrites par 30 mesures, étiquette 0/1 ------------------------------
X_np, y_np = load_breast_cancer(return_X_y=True)
X = jnp.asarray(StandardScaler().fit_transform(X_np), dtype=jnp.float32)
y = jnp.asarray(y_np, dtype=jnp.float32)
print(f"Données : X {X.shape}, y {y.shape}")


def perte_un_exemple(params: dict[str, jax.Array], x: jax.Array, cible: jax.Array) -> jax.Array:
    """Entropie croisée binaire d'UN exemple : x est un vecteur (30,), cible un scalaire."""
    logit = x @ params["w"] + params["b"]
    # log(1 + e^z) − y·z, écrit de façon numériquement stable.
    return jnp.logaddexp(0.0, logit) - cible * logit


def perte_moyenne(params: dict[str, jax.Array], X: jax.Array, y: jax.Array) -> jax.Array:
    return jnp.mean(jax.vmap(perte_un_exemple, in_axes=(None, 0, 0))(params, X, y))


# --- Quelques pas de descente de gradient pour obtenir un modèle non trivial -------------------
params = {"w": jnp.zeros(X.shape[1]), "b": jnp.array(0.0)}
pas = jax.jit(lambda p: jax.tree.map(lambda v, g: v - 0.5 * g, p, jax.grad(perte_moyenne)(p, X, y)))
for _ in range(30):
    params = pas(params)
print(f"Perte moyenne après 30 pas : {perte_moyenne(params, X, y):.4f}")

# --- Gradients par exemple : vmap de grad -------------------------------------------------------
# in_axes=(None, 0, 0) : params partagés, x et cible découpés ligne par ligne.
grad_par_exemple = jax.vmap(jax.grad(perte_un_exemple), in_axes=(None, 0, 0))
g = grad_par_exemple(params, X, y)
print(f"Forme des gradients par exemple : w {g['w'].shape}, b {g['b'].shape}")

# Vérification 1 : une boucle Python qui appelle jax.grad exemple par exemple.
g_une = jax.grad(perte_un_exemple)
boucle_w = jnp.stack([g_une(params, X[i], y[i])["w"] for i in range(20)])
assert jnp.allclose(g["w"][:20], boucle_w, atol=1e-6), "vmap et la boucle divergent"
print("Les 20 premiers gradients coïncident avec ceux de la boucle Python.")

# Vérification 2 : leur moyenne redonne le gradient de la perte moyenne.
g_lot = jax.grad(perte_moyenne)(params, X, y)
assert jnp.allclose(g["w"].mean(axis=0), g_lot["w"], atol=1e-6)
print("La moyenne des gradients par exemple égale le gradient de la perte moyenne.")

# Pour ce modèle, ∂L/∂w = (σ(z) − y)·x : la formule fermée sert de troisième contrôle.
erreur = jax.nn.sigmoid(X @ params["w"] + params["b"]) - y
assert jnp.allclose(g["w"], erreur[:, None] * X, atol=1e-5)

# --- Norme du gradient de chaque exemple --------------------------------------------------------
normes = jnp.sqrt(jnp.sum(g["w"] ** 2, axis=1) + g["b"] ** 2)
for i in range(6):
    print(f"  exemple {i} : étiquette {int(y[i])}, p(1) = {float(erreur[i] + y[i]):.3f}, ‖∇‖ = {float(normes[i]):.4f}")
print(f"Normes : médiane {float(jnp.median(normes)):.4f}, max {float(normes.max()):.4f}")
# Les exemples mal classés dominent : ce sont eux qui tirent le plus sur les paramètres.
mal_classes = (erreur + y > 0.5) != (y == 1)
print(f"Norme moyenne, bien classés : {float(normes[~mal_classes].mean()):.4f} ; "
      f"mal classés ({int(mal_classes.sum())}) : {float(normes[mal_classes].mean()):.4f}")

# --- Temps : boucle Python, vmap, puis vmap compilé par jit ----------------------------------------


def chrono(fonction, *args, repetitions: int = 1) -> float:
    """Durée moyenne d'un appel, en millisecondes, en attendant la fin du calcul asynchrone."""
    debut = time.perf_counter()
    for _ in range(repetitions):
        jax.block_until_ready(fonction(*args))
    return (time.perf_counter() - debut) / repetitions * 1000


t_boucle = chrono(lambda p: [g_une(p, X[i], y[i]) for i in range(100)], params) * len(X) / 100
t_vmap = chrono(grad_par_exemple, params, X, y, repetitions=5)
grad_jit = jax.jit(grad_par_exemple)
t_premier = chrono(grad_jit, params, X, y)  # trace + compilation XLA + exécution
t_suivants = chrono(grad_jit, params, X, y, repetitions=50)  # code compilé, mis en cache
print(f"Boucle Python (extrapolée à {len(X)} exemples) : {t_boucle:9.2f} ms")
print(f"vmap sans jit                                : {t_vmap:9.2f} ms")
print(f"jit(vmap) premier appel (avec compilation)   : {t_premier:9.2f} ms")
print(f"jit(vmap) appels suivants                    : {t_suivants:9.3f} ms")
assert jnp.allclose(grad_jit(params, X, y)["w"], g["w"], atol=1e-6)

# --- Application : écrêter chaque gradient avant de faire la moyenne (principe de DP-SGD) --------


@jax.jit
def gradients_ecretes(params: dict[str, jax.Array], X: jax.Array, y: jax.Array, seuil: float = 0.5) -> dict[str, jax.Array]:
    """Gradients par exemple ramenés à une norme au plus égale à `seuil`."""
    g = grad_par_exemple(params, X, y)
    normes = jnp.sqrt(jnp.sum(g["w"] ** 2, axis=1) + g["b"] ** 2)
    facteur = jnp.minimum(1.0, seuil / (normes + 1e-12))
    return {"w": facteur[:, None] * g["w"], "b": facteur * g["b"]}


ge = gradients_ecretes(params, X, y)
normes_ecretees = jnp.sqrt(jnp.sum(ge["w"] ** 2, axis=1) + ge["b"] ** 2)
print(f"Exemples écrêtés (‖∇‖ > 0.5) : {int((normes > 0.5).sum())} sur {len(X)}")
print(f"Plus grande norme individuelle : {float(normes.max()):.4f} avant, {float(normes_ecretees.max()):.4f} après")
# Aucun exemple ne peut plus déplacer le gradient moyen de plus de seuil / N : c'est ce qui
# permet ensuite à DP-SGD de calibrer le bruit ajouté.
moy_brute, moy_ecretee = g["w"].mean(axis=0), ge["w"].mean(axis=0)
cosinus = moy_brute @ moy_ecretee / (jnp.linalg.norm(moy_brute) * jnp.linalg.norm(moy_ecretee))
print(f"Cosinus entre gradient moyen brut et écrêté : {float(cosinus):.4f}")
