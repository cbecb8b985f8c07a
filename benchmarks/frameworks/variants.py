"""The registry of tasks and framework variants of the protocol. Standard library only:
the worker reads it before it imports any framework, so that import time is measured alone."""

from __future__ import annotations

from dataclasses import dataclass

TASKS: tuple[str, ...] = ("mlp", "cnn", "gru")


@dataclass(frozen=True, slots=True)
class Variant:
    name: str  # as written in results and on the command line
    framework: str  # the framework note it measures: pytorch, tensorflow, keras, jax, numpy
    module: str  # module of benchmarks/frameworks/ that implements it
    imports: tuple[str, ...]  # what "import time" times, in a fresh process
    backend: str  # the array library underneath: torch, tensorflow, jax or numpy (threads, device memory)
    label: str  # short French description for the pages
    tasks: tuple[str, ...] = TASKS


VARIANTS: dict[str, Variant] = {
    v.name: v
    for v in (
        Variant("numpy", "numpy", "fw_numpy", ("numpy",), "numpy", "NumPy, rétropropagation écrite à la main (plancher)", ("mlp",)),
        Variant("torch-eager", "pytorch", "fw_torch", ("torch",), "torch", "PyTorch, exécution immédiate"),
        Variant("torch-compile", "pytorch", "fw_torch", ("torch",), "torch", "PyTorch, modèle passé à torch.compile (Inductor)"),
        Variant("tf-eager", "tensorflow", "fw_tensorflow", ("tensorflow", "keras"), "tensorflow", "TensorFlow, tf.GradientTape sans tf.function"),
        Variant("tf-function", "tensorflow", "fw_tensorflow", ("tensorflow", "keras"), "tensorflow", "TensorFlow, pas d'entraînement en tf.function"),
        Variant("tf-xla", "tensorflow", "fw_tensorflow", ("tensorflow", "keras"), "tensorflow", "TensorFlow, tf.function(jit_compile=True) (XLA)"),
        Variant("keras-torch", "keras", "fw_keras", ("keras",), "torch", "Keras 3, moteur PyTorch, train_on_batch"),
        Variant("keras-tensorflow", "keras", "fw_keras", ("keras",), "tensorflow", "Keras 3, moteur TensorFlow, train_on_batch"),
        Variant("keras-jax", "keras", "fw_keras", ("keras",), "jax", "Keras 3, moteur JAX, train_on_batch"),
        Variant("jax-jit", "jax", "fw_jax", ("jax", "optax"), "jax", "JAX, pas d'entraînement sous jax.jit, optimiseur optax"),
    )
}


def keras_backend(variant: Variant) -> str | None:
    """The KERAS_BACKEND a variant needs: Keras variants their own, TensorFlow variants build Keras layers."""
    if variant.framework == "keras":
        return variant.backend
    if variant.framework == "tensorflow":
        return "tensorflow"
    return None


def pairs(tasks: list[str], variants: list[str]) -> list[tuple[str, str]]:
    """Every (task, variant) to measure, in registry order; NumPy only has the MLP."""
    return [(t, v) for t in TASKS if t in tasks for v in VARIANTS if v in variants and t in VARIANTS[v].tasks]
