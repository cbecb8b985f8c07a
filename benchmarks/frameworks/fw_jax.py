"""JAX variant ``jax-jit``: pure functions of a parameter dict, the whole training step (forward,
gradient, optax Adam update) under one ``jax.jit``, inference under another."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import optax
from tasks import param_specs


def _conv(x: jax.Array, kernel: jax.Array, bias: jax.Array) -> jax.Array:
    y = jax.lax.conv_general_dilated(x, kernel, (1, 1), "SAME", dimension_numbers=("NHWC", "HWIO", "NHWC"))
    return jax.nn.relu(y + bias)


def _pool(x: jax.Array) -> jax.Array:
    return jax.lax.reduce_window(x, -jnp.inf, jax.lax.max, (1, 2, 2, 1), (1, 2, 2, 1), "VALID")


def _gru(p: dict, x: jax.Array) -> jax.Array:
    """Keras' GRU (gates z, r, h; reset after), scanned over time; returns the last state."""
    kernel, recurrent, bias = p["gru/kernel"], p["gru/recurrent_kernel"], p["gru/bias"]
    inputs = jnp.einsum("ntf,fg->tng", x, kernel) + bias[0]  # input projections of every step at once

    def cell(h: jax.Array, xt: jax.Array) -> tuple[jax.Array, None]:
        xz, xr, xh = jnp.split(xt, 3, axis=-1)
        hz, hr, hh = jnp.split(h @ recurrent + bias[1], 3, axis=-1)
        z, r = jax.nn.sigmoid(xz + hz), jax.nn.sigmoid(xr + hr)
        return z * h + (1 - z) * jnp.tanh(xh + r * hh), None

    h0 = jnp.zeros((x.shape[0], recurrent.shape[0]), x.dtype)
    return jax.lax.scan(cell, h0, inputs)[0]


def forward(task: str, p: dict, x: jax.Array) -> jax.Array:
    if task == "mlp":
        return jax.nn.relu(x @ p["dense1/kernel"] + p["dense1/bias"]) @ p["dense2/kernel"] + p["dense2/bias"]
    if task == "cnn":
        x = _pool(_conv(x, p["conv1/kernel"], p["conv1/bias"]))
        x = _pool(_conv(x, p["conv2/kernel"], p["conv2/bias"]))
        return x.reshape(x.shape[0], -1) @ p["dense/kernel"] + p["dense/bias"]
    return _gru(p, x) @ p["dense/kernel"] + p["dense/bias"]


class JaxRunner:
    def __init__(self, variant: str, task: str, params: list[np.ndarray], cfg: dict) -> None:
        self.params = {name: jnp.asarray(v) for (name, _), v in zip(param_specs(task), params, strict=True)}
        optimizer = optax.adam(cfg["learning_rate"], eps=cfg["adam_epsilon"])
        self.opt_state = optimizer.init(self.params)

        def loss_fn(p: dict, x: jax.Array, y: jax.Array) -> jax.Array:
            return optax.softmax_cross_entropy_with_integer_labels(forward(task, p, x), y).mean()

        @jax.jit
        def step(p: dict, state, x: jax.Array, y: jax.Array):
            loss, grads = jax.value_and_grad(loss_fn)(p, x, y)
            updates, state = optimizer.update(grads, state, p)
            return optax.apply_updates(p, updates), state, loss

        self.step = step
        self.predict = jax.jit(lambda p, x: forward(task, p, x))

    def load_batches(self, xs: list[np.ndarray], ys: list[np.ndarray]) -> None:
        self.xs = [jax.device_put(x) for x in xs]
        self.ys = [jax.device_put(y) for y in ys]

    def train_step(self, k: int) -> float:
        self.params, self.opt_state, loss = self.step(self.params, self.opt_state, self.xs[k], self.ys[k])
        return float(loss)

    def to_input(self, x: np.ndarray) -> jax.Array:
        return jax.device_put(x)

    def infer(self, x: jax.Array) -> np.ndarray:
        return np.asarray(self.predict(self.params, x))


def make_runner(variant: str, task: str, params: list[np.ndarray], cfg: dict) -> JaxRunner:
    return JaxRunner(variant, task, params, cfg)
