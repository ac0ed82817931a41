"""A small fully connected network in float64 numpy: forward, backward, update.

Column vectors throughout: z[l] = W[l] · h[l-1] + b[l], with W[l] of shape (n_l, n_{l-1}) and
b[l], z[l], h[l] of shape (n_l, 1).  Each activation's derivative sits beside it.
No Tk, no matplotlib.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

Array = np.ndarray
F = TypeVar("F", bound=Callable[..., object])


def overflow_allowed(fn: F) -> F:
    """Huge inputs, weights or learning rates overflow to ±inf, and inf − inf or 0 · inf give nan.
    That is expected in `fn` and reported as divergence by its callers, so numpy does not warn.
    (A fresh np.errstate per call, so it nests and is thread-safe on every numpy version.)"""
    @functools.wraps(fn)
    def quiet(*args, **kwargs):
        with np.errstate(over="ignore", invalid="ignore"):
            return fn(*args, **kwargs)
    return quiet  # type: ignore[return-value]


# ----------------------------------------------------------------------------- activations
@dataclass(frozen=True)
class Activation:
    name: str
    mathtext: str  # how the function is written in an equation, e.g. r"\sigma"
    fn: Callable[[Array], Array]
    derivative: Callable[[Array], Array]  # d fn / dz, elementwise (not used for softmax)


def sigmoid(z: Array) -> Array:
    # exp of -|z| only, so no overflow for large |z|
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_derivative(z: Array) -> Array:
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh_derivative(z: Array) -> Array:
    return 1.0 - np.tanh(z) ** 2


def relu(z: Array) -> Array:
    return np.maximum(z, 0.0)


def relu_derivative(z: Array) -> Array:
    # the subgradient at exactly 0 is taken as 0
    return (z > 0).astype(np.float64)


def identity(z: Array) -> Array:
    return np.array(z, dtype=np.float64)


def identity_derivative(z: Array) -> Array:
    return np.ones_like(z, dtype=np.float64)


@overflow_allowed
def softmax(z: Array) -> Array:
    # shifting by the max leaves softmax unchanged and keeps exp from overflowing
    # (an infinite z still gives inf − inf = nan: the network has diverged)
    e = np.exp(z - np.max(z))
    return e / np.sum(e)


def softmax_jacobian(z: Array) -> Array:
    """J[k, m] = ∂p_k/∂z_m = p_k (δ_km − p_m); symmetric."""
    p = softmax(z).reshape(-1)
    return np.diag(p) - np.outer(p, p)


def _softmax_diagonal(z: Array) -> Array:
    # the diagonal of the Jacobian; the full Jacobian is used in backward()
    p = softmax(z)
    return p * (1.0 - p)


HIDDEN_ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation("sigmoid", r"\sigma", sigmoid, sigmoid_derivative),
    "tanh": Activation("tanh", r"\tanh", np.tanh, tanh_derivative),
    "relu": Activation("relu", r"\mathrm{ReLU}", relu, relu_derivative),
}

OUTPUT_ACTIVATIONS: dict[str, Activation] = {
    "softmax": Activation("softmax", r"\mathrm{softmax}", softmax, _softmax_diagonal),
    "sigmoid": HIDDEN_ACTIVATIONS["sigmoid"],
    "identity": Activation("identity", r"\mathrm{id}", identity, identity_derivative),
}

LOSSES: tuple[str, ...] = ("cross_entropy", "mse")

# (output activation, loss) pairs whose dz[L] simplifies to p − y
SIMPLE_OUTPUT_GRADIENT = {("softmax", "cross_entropy"), ("sigmoid", "cross_entropy")}
FORBIDDEN_PAIRS = {("identity", "cross_entropy")}


# ----------------------------------------------------------------------------- losses
def _log_softmax(z: Array) -> Array:
    shifted = z - np.max(z)
    return shifted - np.log(np.sum(np.exp(shifted)))


def loss_value(output_activation: str, loss: str, z_out: Array, h_out: Array, y: Array) -> float:
    """The loss, computed from z[L] where a log is involved so that log(0) never occurs."""
    if loss == "mse":
        return float(0.5 * np.sum((h_out - y) ** 2))
    if output_activation == "softmax":
        return float(-np.sum(y * _log_softmax(z_out)))
    if output_activation == "sigmoid":
        # log p = −softplus(−z), log(1 − p) = −softplus(z)
        log_p = -np.logaddexp(0.0, -z_out)
        log_not_p = -np.logaddexp(0.0, z_out)
        return float(-np.sum(y * log_p + (1.0 - y) * log_not_p))
    raise ValueError(f"no cross-entropy for output activation {output_activation!r}")


def loss_gradient(loss: str, h_out: Array, y: Array) -> Array:
    """dh[L] = ∂L/∂h[L] for the losses that take this step (mse)."""
    if loss == "mse":
        return h_out - y
    raise ValueError(f"loss {loss!r} has no separate dh[L] step")


# ----------------------------------------------------------------------------- the network
@dataclass(frozen=True, eq=False)
class Network:
    weights: tuple[Array, ...]  # W[1..L]
    biases: tuple[Array, ...]  # b[1..L], column vectors
    hidden_activation: str
    output_activation: str
    loss: str

    @property
    def depth(self) -> int:
        return len(self.weights)

    def activation(self, layer: int) -> Activation:
        if layer == self.depth:
            return OUTPUT_ACTIVATIONS[self.output_activation]
        return HIDDEN_ACTIVATIONS[self.hidden_activation]

    @property
    def output_gradient_is_simple(self) -> bool:
        return (self.output_activation, self.loss) in SIMPLE_OUTPUT_GRADIENT

    @property
    def is_finite(self) -> bool:
        """False once a weight or bias has overflowed (the network has diverged)."""
        return all(np.isfinite(p).all() for p in (*self.weights, *self.biases))


@dataclass(frozen=True, eq=False)
class ForwardPass:
    z: tuple[Array, ...]  # z[1..L] at index l-1
    h: tuple[Array, ...]  # h[0] = x .. h[L] at index l
    loss: float


@dataclass(frozen=True, eq=False)
class Gradients:
    dz: tuple[Array, ...]  # dz[1..L] at index l-1
    dW: tuple[Array, ...]
    db: tuple[Array, ...]
    dh: tuple[Array | None, ...]  # dh[1..L] at index l-1; dh[L] is None when dz[L] = p − y


def column(values) -> Array:
    return np.asarray(values, dtype=np.float64).reshape(-1, 1)


@overflow_allowed
def forward(net: Network, x: Array, y: Array) -> ForwardPass:
    h = [column(x)]
    zs = []
    for layer in range(1, net.depth + 1):
        z = net.weights[layer - 1] @ h[-1] + net.biases[layer - 1]
        zs.append(z)
        h.append(net.activation(layer).fn(z))
    loss = loss_value(net.output_activation, net.loss, zs[-1], h[-1], column(y))
    return ForwardPass(tuple(zs), tuple(h), loss)


@overflow_allowed
def backward(net: Network, fp: ForwardPass, y: Array) -> Gradients:
    depth = net.depth
    y = column(y)
    dz: list[Array] = [np.empty(0)] * depth
    dW: list[Array] = [np.empty(0)] * depth
    db: list[Array] = [np.empty(0)] * depth
    dh: list[Array | None] = [None] * depth

    z_out, h_out = fp.z[-1], fp.h[-1]
    if net.output_gradient_is_simple:
        dz[-1] = h_out - y
    else:
        dh[-1] = loss_gradient(net.loss, h_out, y)
        if net.output_activation == "softmax":
            dz[-1] = softmax_jacobian(z_out).T @ dh[-1]
        else:
            dz[-1] = dh[-1] * net.activation(depth).derivative(z_out)

    for layer in range(depth, 0, -1):
        i = layer - 1
        dW[i] = dz[i] @ fp.h[layer - 1].T
        db[i] = dz[i].copy()
        if layer > 1:
            dh[i - 1] = net.weights[i].T @ dz[i]
            dz[i - 1] = dh[i - 1] * net.activation(layer - 1).derivative(fp.z[i - 1])
    return Gradients(tuple(dz), tuple(dW), tuple(db), tuple(dh))


@overflow_allowed
def update(net: Network, grads: Gradients, learning_rate: float) -> Network:
    return Network(
        weights=tuple(w - learning_rate * g for w, g in zip(net.weights, grads.dW)),
        biases=tuple(b - learning_rate * g for b, g in zip(net.biases, grads.db)),
        hidden_activation=net.hidden_activation,
        output_activation=net.output_activation,
        loss=net.loss,
    )
