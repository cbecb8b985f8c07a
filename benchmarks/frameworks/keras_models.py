"""The three models as Keras 3 layers, shared by the Keras variants and the TensorFlow custom loops
(TensorFlow 2's own guide builds its models from these layers)."""

from __future__ import annotations

import keras
import numpy as np
from tasks import CLASSES, GRU_UNITS, SEQ_FEATURES, SEQ_LEN


def build(task: str, params: list[np.ndarray]) -> keras.Model:
    """The model of ``task``, with the shared initial weights (Keras layout, so copied as they are)."""
    layers = keras.layers
    if task == "mlp":
        model = keras.Sequential([keras.Input((64,)), layers.Dense(128, activation="relu"), layers.Dense(CLASSES["mlp"])])
    elif task == "cnn":
        model = keras.Sequential([
            keras.Input((16, 16, 1)),
            layers.Conv2D(8, 3, padding="same", activation="relu"), layers.MaxPooling2D(2),
            layers.Conv2D(16, 3, padding="same", activation="relu"), layers.MaxPooling2D(2),
            layers.Flatten(), layers.Dense(CLASSES["cnn"]),
        ])
    elif task == "gru":
        # reset_after=True (the default) is the formulation PyTorch's nn.GRU computes.
        model = keras.Sequential([keras.Input((SEQ_LEN, SEQ_FEATURES)), layers.GRU(GRU_UNITS), layers.Dense(CLASSES["gru"])])
    else:
        raise ValueError(f"unknown task {task!r}")
    model.set_weights(params)
    return model


def adam(cfg: dict) -> keras.optimizers.Optimizer:
    # Keras defaults to epsilon=1e-7, PyTorch and optax to 1e-8: the protocol sets it explicitly everywhere.
    return keras.optimizers.Adam(learning_rate=cfg["learning_rate"], epsilon=cfg["adam_epsilon"])
