"""NumPy variant ``numpy`` (MLP only): forward pass, backward pass and Adam written by hand.

It is the floor of the comparison: no graph, no autograd, no dispatcher; what the frameworks add
on top of the same matrix products shows in the difference."""

from __future__ import annotations

import numpy as np


class NumpyRunner:
    def __init__(self, variant: str, task: str, params: list[np.ndarray], cfg: dict) -> None:
        if task != "mlp":
            raise ValueError("the NumPy floor implements the MLP only")
        self.params = [p.copy() for p in params]
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]
        self.lr, self.eps, self.t = np.float32(cfg["learning_rate"]), np.float32(cfg["adam_epsilon"]), 0
        self.b1, self.b2 = np.float32(0.9), np.float32(0.999)

    def load_batches(self, xs: list[np.ndarray], ys: list[np.ndarray]) -> None:
        self.xs, self.ys = xs, ys

    def _forward(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        k1, b1, k2, b2 = self.params
        hidden = np.maximum(x @ k1 + b1, 0)
        return hidden, hidden @ k2 + b2

    def train_step(self, k: int) -> float:
        x, y = self.xs[k], self.ys[k]
        hidden, logits = self._forward(x)
        shifted = logits - logits.max(axis=1, keepdims=True)
        probs = np.exp(shifted)
        probs /= probs.sum(axis=1, keepdims=True)
        n = len(y)
        loss = float(-np.log(probs[np.arange(n), y]).mean())
        # Gradient of the mean cross-entropy with respect to the logits, then back through the layers.
        d_logits = probs
        d_logits[np.arange(n), y] -= 1
        d_logits /= n
        d_hidden = (d_logits @ self.params[2].T) * (hidden > 0)
        grads = [x.T @ d_hidden, d_hidden.sum(axis=0), hidden.T @ d_logits, d_logits.sum(axis=0)]
        self._adam(grads)
        return loss

    def _adam(self, grads: list[np.ndarray]) -> None:
        """PyTorch's Adam: bias-corrected moments, epsilon added to the corrected square root."""
        self.t += 1
        c1, c2 = 1 - self.b1**self.t, 1 - self.b2**self.t
        for p, g, m, v in zip(self.params, grads, self.m, self.v, strict=True):
            m *= self.b1
            m += (1 - self.b1) * g
            v *= self.b2
            v += (1 - self.b2) * g * g
            p -= self.lr * (m / c1) / (np.sqrt(v / c2) + self.eps)

    def to_input(self, x: np.ndarray) -> np.ndarray:
        return x

    def infer(self, x: np.ndarray) -> np.ndarray:
        return self._forward(x)[1]


def make_runner(variant: str, task: str, params: list[np.ndarray], cfg: dict) -> NumpyRunner:
    return NumpyRunner(variant, task, params, cfg)
