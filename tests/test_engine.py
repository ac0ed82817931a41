"""The engine against central finite differences (float64) over every supported kind of network."""
import warnings

import numpy as np
import pytest

from simulator import engine, gradcheck
from simulator.steps import run_iteration
from tests.helpers import KINDS, random_scenario

FD_STEP = gradcheck.STEP


def _loss_from_layer(net: engine.Network, layer: int, value: np.ndarray, y, at: str) -> float:
    """The loss with z[layer] (at='z') or h[layer] (at='h') set to `value`, the rest recomputed."""
    h = net.activation(layer).fn(value) if at == "z" else value
    z = value if at == "z" else None
    for later in range(layer + 1, net.depth + 1):
        z = net.weights[later - 1] @ h + net.biases[later - 1]
        h = net.activation(later).fn(z)
    return engine.loss_value(net.output_activation, net.loss, z, h, engine.column(y))


def _numeric(f, point: np.ndarray) -> np.ndarray:
    grad = np.zeros_like(point)
    for index in np.ndindex(point.shape):
        up, down = point.copy(), point.copy()
        up[index] += FD_STEP
        down[index] -= FD_STEP
        grad[index] = (f(up) - f(down)) / (2 * FD_STEP)
    return grad


def _assert_close(analytic, numeric, what):
    error = gradcheck.relative_error(np.asarray(analytic), numeric)
    assert error.max() < 1e-6, f"{what}: max relative error {error.max():.2e}\n{analytic}\n{numeric}"


def _away_from_relu_kinks(scenario) -> bool:
    fp = run_iteration(scenario).forward
    return scenario.hidden_activation != "relu" or min(np.abs(z).min() for z in fp.z[:-1]) > 1e-3


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("hidden_layers,hidden,pair", KINDS, ids=lambda v: str(v))
def test_every_gradient_matches_finite_differences(seed, hidden_layers, hidden, pair):
    output, loss = pair
    offset = 0
    while True:
        scenario = random_scenario(seed * 1000 + offset, hidden_layers, hidden, output, loss)
        if _away_from_relu_kinks(scenario):
            break
        offset += 1
    it = run_iteration(scenario)
    net, fp, grads, y = it.network, it.forward, it.gradients, scenario.y

    for check in gradcheck.check_gradients(net, grads, scenario.x, y):
        assert check.passed, f"{check.symbol}: max relative error {check.max_error:.2e}"
    for layer in range(1, net.depth + 1):
        numeric_dz = _numeric(lambda z: _loss_from_layer(net, layer, z, y, "z"), fp.z[layer - 1])
        _assert_close(grads.dz[layer - 1], numeric_dz, f"dz[{layer}]")
        if grads.dh[layer - 1] is not None:
            numeric_dh = _numeric(lambda h: _loss_from_layer(net, layer, h, y, "h"), fp.h[layer])
            _assert_close(grads.dh[layer - 1], numeric_dh, f"dh[{layer}]")
    # every hidden layer has its dh; the output layer has one exactly when dz[L] is not p − y
    assert all(d is not None for d in grads.dh[:-1])
    assert (grads.dh[-1] is None) == net.output_gradient_is_simple


def test_injected_wrong_gradient_is_caught():
    scenario = random_scenario(5, 2, "tanh", "softmax", "cross_entropy")
    it = run_iteration(scenario)
    wrong = list(it.gradients.dW)
    wrong[1] = wrong[1].copy()
    wrong[1][0, 0] *= 1.01
    broken = engine.Gradients(it.gradients.dz, tuple(wrong), it.gradients.db, it.gradients.dh)
    failed = [c.symbol for c in gradcheck.check_gradients(it.network, broken, scenario.x, scenario.y) if not c.passed]
    assert failed == ["dW[2]"]


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu"])
def test_hidden_activation_derivatives_match_finite_differences(name):
    act = engine.HIDDEN_ACTIVATIONS[name]
    z = np.array([[-3.1], [-0.7], [0.4], [2.2]])
    numeric = _numeric(lambda v: float(np.sum(act.fn(v))), z)
    _assert_close(act.derivative(z), numeric, name)


def test_softmax_jacobian_matches_finite_differences():
    z = np.array([[0.3], [-1.2], [2.0]])
    jac = engine.softmax_jacobian(z)
    for k in range(3):
        numeric = _numeric(lambda v: float(engine.softmax(v)[k, 0]), z)
        _assert_close(jac[k].reshape(-1, 1), numeric, f"row {k}")


@pytest.mark.parametrize("output,loss", [("softmax", "cross_entropy"), ("sigmoid", "cross_entropy"),
                                         ("softmax", "mse"), ("sigmoid", "mse"), ("identity", "mse")])
def test_extreme_pre_activations_raise_no_warning_and_stay_finite(output, loss):
    z = np.array([[1e4], [-1e4], [0.0]])
    y = np.array([[0.0], [1.0], [0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for act in engine.HIDDEN_ACTIVATIONS.values():
            assert np.all(np.isfinite(act.fn(z))) and np.all(np.isfinite(act.derivative(z)))
        h = engine.OUTPUT_ACTIVATIONS[output].fn(z)
        value = engine.loss_value(output, loss, z, h, y)
    assert np.isfinite(value)
    if loss == "cross_entropy":
        # the target sits where the output is (almost) exactly 0: the loss is large, not infinite
        assert value > 100


def test_sigmoid_is_exact_at_both_ends():
    assert engine.sigmoid(np.array([-1e4]))[0] == 0.0
    assert engine.sigmoid(np.array([1e4]))[0] == 1.0
    assert engine.sigmoid(np.array([0.0]))[0] == 0.5


def test_update_moves_against_the_gradient():
    scenario = random_scenario(3, 1, "sigmoid", "sigmoid", "mse")
    it = run_iteration(scenario)
    for before, grad, after in zip(it.network.weights, it.gradients.dW, it.updated.weights):
        np.testing.assert_allclose(after, before - scenario.learning_rate * grad, rtol=0, atol=0)
