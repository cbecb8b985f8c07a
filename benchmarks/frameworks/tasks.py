"""The three tasks: their data, their shapes and the one set of initial weights every framework starts from.

Weights are drawn here, in NumPy, with a fixed seed, in the layout Keras uses ((in, out) kernels,
HWIO convolutions, GRU gates in z, r, h order); each framework module converts them to its own
layout. Same seed and same scheme is not enough: frameworks draw random numbers differently,
so only copying one set of arrays makes the starting points identical.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

SEQ_LEN, SEQ_FEATURES, GRU_UNITS = 20, 4, 32
CLASSES = {"mlp": 10, "cnn": 10, "gru": 2}
TITLES = {
    "mlp": "MLP 64→128→10 sur les chiffres manuscrits (scikit-learn digits)",
    "cnn": "CNN à deux convolutions sur les chiffres agrandis en 16×16",
    "gru": "GRU (32 unités) sur des séquences générées : signe de la somme",
}


def param_specs(task: str) -> list[tuple[str, tuple[int, ...]]]:
    """Names and shapes of the parameters, in the order of ``keras.Model.get_weights()``."""
    if task == "mlp":
        return [("dense1/kernel", (64, 128)), ("dense1/bias", (128,)), ("dense2/kernel", (128, 10)), ("dense2/bias", (10,))]
    if task == "cnn":
        return [
            ("conv1/kernel", (3, 3, 1, 8)), ("conv1/bias", (8,)),
            ("conv2/kernel", (3, 3, 8, 16)), ("conv2/bias", (16,)),
            ("dense/kernel", (4 * 4 * 16, 10)), ("dense/bias", (10,)),
        ]
    if task == "gru":
        h = GRU_UNITS
        return [
            ("gru/kernel", (SEQ_FEATURES, 3 * h)), ("gru/recurrent_kernel", (h, 3 * h)), ("gru/bias", (2, 3 * h)),
            ("dense/kernel", (h, 2)), ("dense/bias", (2,)),
        ]
    raise ValueError(f"unknown task {task!r}")


def glorot_uniform(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Glorot (Xavier) uniform with the fans Keras computes: a convolution kernel counts its receptive field."""
    receptive = int(np.prod(shape[:-2])) if len(shape) > 2 else 1
    fan_in, fan_out = shape[-2] * receptive, shape[-1] * receptive
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=shape).astype(np.float32)


def initial_params(task: str, seed: int) -> list[np.ndarray]:
    """Glorot-uniform kernels (recurrent kernel included, where Keras would default to orthogonal), zero biases."""
    rng = np.random.default_rng(seed)
    return [np.zeros(shape, np.float32) if name.endswith("bias") else glorot_uniform(rng, shape) for name, shape in param_specs(task)]


def make_dataset(task: str, seed: int, tiny: bool) -> dict[str, np.ndarray]:
    """``x_train, y_train, x_test, y_test`` for a task; images NHWC, labels int32."""
    if task in ("mlp", "cnn"):
        from sklearn.datasets import load_digits
        from sklearn.model_selection import train_test_split

        digits = load_digits()
        x = (digits.images / 16.0).astype(np.float32)
        if task == "mlp":
            x = x.reshape(len(x), 64)
        else:  # nearest-neighbour upsampling 8×8 → 16×16, one channel
            x = x.repeat(2, axis=1).repeat(2, axis=2)[..., None]
        x_tr, x_te, y_tr, y_te = train_test_split(x, digits.target.astype(np.int32), test_size=0.2, random_state=seed, stratify=digits.target)
        return {"x_train": x_tr, "y_train": y_tr, "x_test": x_te, "y_test": y_te}
    if task == "gru":
        rng = np.random.default_rng(seed + 1)
        n_train, n_test = (512, 256) if tiny else (2048, 512)
        x = rng.standard_normal((n_train + n_test, SEQ_LEN, SEQ_FEATURES)).astype(np.float32)
        y = (x.sum(axis=(1, 2)) > 0).astype(np.int32)
        return {"x_train": x[:n_train], "y_train": y[:n_train], "x_test": x[n_train:], "y_test": y[n_train:]}
    raise ValueError(f"unknown task {task!r}")


def batch_order(n_train: int, batch_size: int, epochs: int, seed: int, max_steps: int | None) -> np.ndarray:
    """Indices of every training batch, shape (steps, batch): one permutation per epoch, last partial batch
    dropped so that every step has the same shape (compiled variants would otherwise recompile)."""
    rng = np.random.default_rng(seed + 2)
    per_epoch = n_train // batch_size
    order = np.concatenate([rng.permutation(n_train)[: per_epoch * batch_size].reshape(per_epoch, batch_size) for _ in range(epochs)])
    return order[:max_steps] if max_steps else order


def save_task_file(path: Path, task: str, seed: int, tiny: bool) -> Path:
    """Data and initial weights of one task in one ``.npz`` that every worker of the run reads."""
    arrays = make_dataset(task, seed, tiny)
    arrays.update({f"param{i}": p for i, p in enumerate(initial_params(task, seed))})
    np.savez(path, **arrays)
    return path


def load_task_file(path: str | Path, task: str) -> tuple[dict[str, np.ndarray], list[np.ndarray]]:
    with np.load(path) as z:
        data = {k: z[k] for k in ("x_train", "y_train", "x_test", "y_test")}
        params = [z[f"param{i}"] for i in range(len(param_specs(task)))]
    return data, params
