"""TensorFlow variants: one custom training loop with tf.GradientTape, run eagerly (``tf-eager``),
under ``tf.function`` (``tf-function``) or under ``tf.function(jit_compile=True)`` (``tf-xla``)."""

from __future__ import annotations

import keras_models
import numpy as np
import tensorflow as tf


class TFRunner:
    def __init__(self, variant: str, task: str, params: list[np.ndarray], cfg: dict) -> None:
        tf.random.set_seed(cfg["seed"])
        self.model = keras_models.build(task, params)
        self.optimizer = keras_models.adam(cfg)
        self.optimizer.build(self.model.trainable_variables)  # slots made up front, not inside a traced function
        step, predict = self._step, self._predict
        if variant == "tf-function":
            step, predict = tf.function(step), tf.function(predict)
        elif variant == "tf-xla":
            step, predict = tf.function(step, jit_compile=True), tf.function(predict, jit_compile=True)
        self.step, self.predict = step, predict

    def _step(self, x: tf.Tensor, y: tf.Tensor) -> tf.Tensor:
        with tf.GradientTape() as tape:
            logits = self.model(x, training=True)
            loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
        grads = tape.gradient(loss, self.model.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.model.trainable_variables, strict=True))
        return loss

    def _predict(self, x: tf.Tensor) -> tf.Tensor:
        return self.model(x, training=False)

    def load_batches(self, xs: list[np.ndarray], ys: list[np.ndarray]) -> None:
        self.xs = [tf.constant(x) for x in xs]
        self.ys = [tf.constant(y) for y in ys]

    def train_step(self, k: int) -> float:
        return float(self.step(self.xs[k], self.ys[k]).numpy())

    def to_input(self, x: np.ndarray) -> tf.Tensor:
        return tf.constant(x)

    def infer(self, x: tf.Tensor) -> np.ndarray:
        return self.predict(x).numpy()


def make_runner(variant: str, task: str, params: list[np.ndarray], cfg: dict) -> TFRunner:
    return TFRunner(variant, task, params, cfg)
