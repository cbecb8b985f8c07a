"""PyTorch variants: ``torch-eager`` (plain modules) and ``torch-compile`` (the same modules through torch.compile)."""

from __future__ import annotations

import numpy as np
import torch
from tasks import CLASSES, GRU_UNITS, SEQ_FEATURES
from torch import nn


class MLP(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.dense1, self.dense2 = nn.Linear(64, 128), nn.Linear(128, CLASSES["mlp"])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.dense2(torch.relu(self.dense1(x)))


class CNN(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv1, self.conv2 = nn.Conv2d(1, 8, 3, padding=1), nn.Conv2d(8, 16, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.dense = nn.Linear(4 * 4 * 16, CLASSES["cnn"])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.pool(torch.relu(self.conv2(self.pool(torch.relu(self.conv1(x))))))
        # Flatten in (H, W, C) order, as Keras' Flatten does, so the shared dense kernel means the same here.
        return self.dense(x.permute(0, 2, 3, 1).flatten(1))


class GRUClassifier(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.gru = nn.GRU(SEQ_FEATURES, GRU_UNITS, batch_first=True)
        self.dense = nn.Linear(GRU_UNITS, CLASSES["gru"])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _, h = self.gru(x)
        return self.dense(h[-1])


def _gates(w: np.ndarray) -> np.ndarray:
    """Keras orders GRU gates (z, r, h), PyTorch (r, z, n); both use the reset-after formulation."""
    z, r, h = np.split(w, 3, axis=-1)
    return np.concatenate([r, z, h], axis=-1)


def _state(task: str, params: list[np.ndarray]) -> dict[str, np.ndarray]:
    """The shared Keras-layout weights as a PyTorch state dict."""
    if task == "mlp":
        k1, b1, k2, b2 = params
        return {"dense1.weight": k1.T, "dense1.bias": b1, "dense2.weight": k2.T, "dense2.bias": b2}
    if task == "cnn":
        c1, b1, c2, b2, k, b = params
        return {"conv1.weight": c1.transpose(3, 2, 0, 1), "conv1.bias": b1, "conv2.weight": c2.transpose(3, 2, 0, 1), "conv2.bias": b2,
                "dense.weight": k.T, "dense.bias": b}
    kernel, recurrent, bias, k, b = params
    return {"gru.weight_ih_l0": _gates(kernel).T, "gru.weight_hh_l0": _gates(recurrent).T, "gru.bias_ih_l0": _gates(bias[0]),
            "gru.bias_hh_l0": _gates(bias[1]), "dense.weight": k.T, "dense.bias": b}


class TorchRunner:
    def __init__(self, variant: str, task: str, params: list[np.ndarray], cfg: dict) -> None:
        torch.manual_seed(cfg["seed"])
        self.device = torch.device("cuda" if cfg["device"] == "gpu" and torch.cuda.is_available() else "cpu")
        self.task = task
        model = {"mlp": MLP, "cnn": CNN, "gru": GRUClassifier}[task]()
        model.load_state_dict({k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in _state(task, params).items()})
        self.model = model.to(self.device)
        self.opt = torch.optim.Adam(self.model.parameters(), lr=cfg["learning_rate"], eps=cfg["adam_epsilon"])
        self.loss_fn = nn.CrossEntropyLoss()
        self.forward = torch.compile(self.model) if variant == "torch-compile" else self.model

    def _tensor(self, x: np.ndarray) -> torch.Tensor:
        if self.task == "cnn":  # PyTorch convolutions are NCHW
            x = x.transpose(0, 3, 1, 2)
        return torch.from_numpy(np.ascontiguousarray(x)).to(self.device)

    def load_batches(self, xs: list[np.ndarray], ys: list[np.ndarray]) -> None:
        self.xs = [self._tensor(x) for x in xs]
        self.ys = [torch.from_numpy(y.astype(np.int64)).to(self.device) for y in ys]
        self.model.train()

    def train_step(self, k: int) -> float:
        self.opt.zero_grad(set_to_none=True)
        loss = self.loss_fn(self.forward(self.xs[k]), self.ys[k])
        loss.backward()
        self.opt.step()
        return loss.item()

    def to_input(self, x: np.ndarray) -> torch.Tensor:
        self.model.eval()
        return self._tensor(x)

    def infer(self, x: torch.Tensor) -> np.ndarray:
        with torch.inference_mode():
            return self.forward(x).cpu().numpy()


def make_runner(variant: str, task: str, params: list[np.ndarray], cfg: dict) -> TorchRunner:
    return TorchRunner(variant, task, params, cfg)
