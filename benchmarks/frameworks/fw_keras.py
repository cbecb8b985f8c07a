"""Keras 3 variants: the same model on each backend (``KERAS_BACKEND`` is set by the driver before
this process starts), trained with ``train_on_batch`` and queried with ``predict_on_batch``:
the machinery of ``model.fit``/``model.predict`` without their data pipeline."""

from __future__ import annotations

import keras
import keras_models
import numpy as np


class KerasRunner:
    def __init__(self, variant: str, task: str, params: list[np.ndarray], cfg: dict) -> None:
        expected = variant.removeprefix("keras-")
        if keras.backend.backend() != expected:  # the backend is fixed at import: a wrong env must not pass silently
            raise RuntimeError(f"{variant} needs KERAS_BACKEND={expected}, Keras runs on {keras.backend.backend()}")
        keras.utils.set_random_seed(cfg["seed"])
        self.model = keras_models.build(task, params)
        # jit_compile stays at its default ("auto": XLA for the TensorFlow and JAX backends, eager PyTorch).
        self.model.compile(optimizer=keras_models.adam(cfg), loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))

    def load_batches(self, xs: list[np.ndarray], ys: list[np.ndarray]) -> None:
        self.xs = [keras.ops.convert_to_tensor(x) for x in xs]
        self.ys = [keras.ops.convert_to_tensor(y) for y in ys]

    def train_step(self, k: int) -> float:
        return float(self.model.train_on_batch(self.xs[k], self.ys[k]))

    def to_input(self, x: np.ndarray):
        return keras.ops.convert_to_tensor(x)

    def infer(self, x) -> np.ndarray:
        return np.asarray(self.model.predict_on_batch(x))


def make_runner(variant: str, task: str, params: list[np.ndarray], cfg: dict) -> KerasRunner:
    return KerasRunner(variant, task, params, cfg)
