"""The walkthrough as plain data: one Step per chain-rule step, built once per scenario.

Order (DESIGN.md §1): forward z[1], h[1], …, z[L], h[L], L; backward dz[L] (after dh[L] where the
loss needs it), then per layer dW, db, dh[l-1], dz[l-1]; update W[L], b[L], …, W[1], b[1].
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from simulator import engine
from simulator.notation import activation_symbol, layer_symbol, number, tex
from simulator.scenario import Scenario

FORWARD, BACKWARD, UPDATE = "forward", "backward", "update"
PHASES = (FORWARD, BACKWARD, UPDATE)
DIVERGENCE_ADVICE = "try a smaller learning rate or smaller inputs"


@dataclass(frozen=True, eq=False)
class Operand:
    symbol: str  # plain text, e.g. "W[2]", "(h[1])ᵀ"
    label: str  # mathtext body, e.g. "W^{[2]}"
    value: np.ndarray  # always 2-D

    @property
    def shape(self) -> tuple[int, int]:
        return self.value.shape


@dataclass(frozen=True)
class Highlight:
    """What of the network drawing a step concerns. Layers count from 0 (the input)."""
    node_layers: tuple[int, ...] = ()  # every node of these layers
    edge_layers: tuple[int, ...] = ()  # l: every edge of W[l], from layer l-1 to layer l
    direction: str = FORWARD  # FORWARD, BACKWARD (gradient flows right to left) or UPDATE
    nodes: tuple[tuple[int, int], ...] = ()  # single nodes (layer, unit), units from 0
    edges: tuple[tuple[int, int, int], ...] = ()  # single edges (layer l, row j, column i) of W[l]


@dataclass(frozen=True, eq=False)
class Step:
    index: int  # from 1
    phase: str
    kind: str  # z, h, loss, dh, dz, dW, db, W, b
    rule: str  # how the result is computed; selects the entry expansion
    layer: int
    symbol: str  # the trace's symbol: z[1], L, dW[3], W[3] (after the update), …
    title: str
    equation: str  # mathtext, with dollars
    text_equation: str  # the same in plain text
    operands: tuple[Operand, ...]
    operators: tuple[str, ...]  # operators[k] stands before operands[k] ("" for none)
    result: Operand
    highlight: Highlight
    explanation: str
    learning_rate: float = 0.0
    activation: str = ""  # the activation applied (h steps) or differentiated (dz steps)
    before: np.ndarray | None = field(default=None)  # update steps: the value before the update
    divergence: str | None = None  # what of result or before is not finite, e.g. "z[2] overflowed (inf)"

    @property
    def is_scalar(self) -> bool:
        return self.kind == "loss"

    @property
    def diverged(self) -> bool:
        return self.divergence is not None


@dataclass(frozen=True, eq=False)
class Iteration:
    """One forward pass, backward pass and update of a scenario's network on its sample."""
    scenario: Scenario
    network: engine.Network
    forward: engine.ForwardPass
    gradients: engine.Gradients
    updated: engine.Network
    loss_after: float

    def next_scenario(self) -> Scenario:
        return self.scenario.with_network(self.updated)

    @cached_property
    def divergence(self) -> str | None:
        """The first number that is not finite, in walkthrough order; None while all are finite."""
        return plan_divergence(build_plan(self.scenario, self))

    @property
    def diverged(self) -> bool:
        return self.divergence is not None


def run_iteration(scenario: Scenario) -> Iteration:
    net = scenario.network()
    fp = engine.forward(net, scenario.x, scenario.y)
    grads = engine.backward(net, fp, scenario.y)
    updated = engine.update(net, grads, scenario.learning_rate)
    loss_after = engine.forward(updated, scenario.x, scenario.y).loss
    return Iteration(scenario, net, fp, grads, updated, loss_after)


def plan_divergence(plan: tuple[Step, ...]) -> str | None:
    return next((step.divergence for step in plan if step.diverged), None)


def _non_finite(name: str, value: np.ndarray) -> str | None:
    """e.g. "z[2] overflowed (inf)" for the first entry of `value` that is not finite."""
    bad = value[~np.isfinite(value)]
    if not bad.size:
        return None
    return f"{name} is not a number (nan)" if np.isnan(bad[0]) else f"{name} overflowed ({number(bad[0])})"


def _step_divergence(symbol: str, result: np.ndarray, before: np.ndarray | None) -> str | None:
    if before is None:
        return _non_finite(symbol, result)
    return _non_finite(f"{symbol} before the update", before) or _non_finite(f"{symbol} after the update", result)


def _frozen(value) -> np.ndarray:
    array = np.array(value, dtype=np.float64, ndmin=2)
    array.setflags(write=False)
    return array


def _operand(symbol: str, value, label: str | None = None) -> Operand:
    return Operand(symbol, label if label is not None else tex(symbol), _frozen(value))


class _PlanBuilder:
    def __init__(self, iteration: Iteration):
        self.it = iteration
        self.scenario = iteration.scenario
        self.net = iteration.network
        self.depth = self.net.depth
        self.steps: list[Step] = []

    # names ---------------------------------------------------------------------------------
    def h_name(self, layer: int) -> str:
        return activation_symbol(layer, self.depth, self.scenario.output_activation)

    def h_operand(self, layer: int) -> Operand:
        return _operand(self.h_name(layer), self.it.forward.h[layer])

    def add(self, **fields) -> None:
        result: Operand = fields["result"]
        divergence = _step_divergence(result.symbol, result.value, fields.get("before"))
        if divergence:
            fields["explanation"] += f" The network has diverged: {divergence}; {DIVERGENCE_ADVICE}."
        self.steps.append(Step(index=len(self.steps) + 1, learning_rate=self.scenario.learning_rate,
                               divergence=divergence, **fields))

    # forward -------------------------------------------------------------------------------
    def forward(self) -> None:
        fp = self.it.forward
        for layer in range(1, self.depth + 1):
            prev = self.h_name(layer - 1)
            z, W, b = (layer_symbol(n, layer) for n in ("z", "W", "b"))
            self.add(
                phase=FORWARD, kind="z", rule="affine", layer=layer, symbol=z,
                title=f"Weighted input of layer {layer}",
                equation=f"${tex(z)} = {tex(W)} \\cdot {tex(prev)} + {tex(b)}$",
                text_equation=f"{z} = {W} · {prev} + {b}",
                operands=(_operand(W, self.net.weights[layer - 1]), self.h_operand(layer - 1),
                          _operand(b, self.net.biases[layer - 1])),
                operators=("", "·", "+"),
                result=_operand(z, fp.z[layer - 1]),
                highlight=Highlight(node_layers=(layer,), edge_layers=(layer,), direction=FORWARD),
                explanation=(f"Each unit j of layer {layer} adds up its inputs from {prev}, weighted by row j "
                             f"of {W}, plus its bias {b}_j. Entry w[{layer}]_ij of {W} sits in row j, "
                             f"column i: it carries unit i's value into unit j."),
            )
            self.activation_step(layer)
        self.loss_step()

    def activation_step(self, layer: int) -> None:
        act = self.net.activation(layer)
        z, h = layer_symbol("z", layer), self.h_name(layer)
        is_output = layer == self.depth
        if act.name == "softmax":
            why = (f"Softmax turns the output scores {z} into probabilities p: each is positive and "
                   f"together they sum to 1, so p can be compared with the target y.")
        elif act.name == "identity":
            why = f"The output layer has no activation: {h} is {z} itself."
        else:
            role = "the network's output" if is_output else f"what layer {layer} passes on to layer {layer + 1}"
            why = (f"{act.name} is applied to every entry of {z} on its own (elementwise); "
                   f"the result {h} is {role}.")
        self.add(
            phase=FORWARD, kind="h", rule="activation", layer=layer, symbol=layer_symbol("h", layer),
            title=f"Activation of layer {layer}" + (" (the output)" if is_output else ""),
            equation=f"${tex(h)} = {act.mathtext}({tex(z)})$",
            text_equation=f"{h} = {act.name}({z})",
            operands=(_operand(z, self.it.forward.z[layer - 1]),),
            operators=(act.name,),
            result=self.h_operand(layer),
            highlight=Highlight(node_layers=(layer,), direction=FORWARD),
            explanation=why,
            activation=act.name,
        )

    def loss_step(self) -> None:
        s = self.scenario
        out = self.h_name(self.depth)
        if s.loss == "mse":
            rule, equation = "loss_mse", f"$L = \\frac{{1}}{{2}}\\sum_k ({tex(out)}_k - y_k)^2$"
            text = f"L = ½ Σ_k ({out}_k − y_k)²"
            why = "The squared error measures how far the output is from the target y. "
        elif s.output_activation == "softmax":
            rule, equation = "loss_cross_entropy", r"$L = -\sum_k y_k \log p_k$"
            text = "L = −Σ_k y_k log p_k"
            why = "Cross-entropy is small when p puts high probability on the target class. "
        else:
            rule = "loss_binary_cross_entropy"
            equation = f"$L = -\\sum_k [y_k \\log {tex(out)}_k + (1 - y_k) \\log(1 - {tex(out)}_k)]$"
            text = f"L = −Σ_k [y_k log {out}_k + (1 − y_k) log(1 − {out}_k)]"
            why = "Binary cross-entropy scores each sigmoid output as the probability of its target. "
        self.add(
            phase=FORWARD, kind="loss", rule=rule, layer=self.depth, symbol="L",
            title="Loss", equation=equation, text_equation=text,
            operands=(self.h_operand(self.depth), _operand("y", engine.column(s.y))),
            operators=("L", ","),
            result=_operand("L", [[self.it.forward.loss]]),
            highlight=Highlight(node_layers=(self.depth,), direction=FORWARD),
            explanation=why + "Every gradient that follows is a derivative of this one number.",
        )

    # backward ------------------------------------------------------------------------------
    def backward(self) -> None:
        self.output_gradient()
        for layer in range(self.depth, 0, -1):
            self.weight_gradient(layer)
            self.bias_gradient(layer)
            if layer > 1:
                self.hidden_gradient(layer)
                self.elementwise_gradient(layer - 1)

    def output_gradient(self) -> None:
        s, g, depth = self.scenario, self.it.gradients, self.depth
        out, dz = self.h_name(depth), layer_symbol("dz", depth)
        dz_value = g.dz[depth - 1]
        both = Highlight(node_layers=(depth,), direction=BACKWARD)
        if self.net.output_gradient_is_simple:
            pair = "softmax" if s.output_activation == "softmax" else "sigmoid"
            self.add(
                phase=BACKWARD, kind="dz", rule="residual", layer=depth, symbol=dz,
                title=f"Gradient of the loss with respect to z[{depth}]",
                equation=f"${tex(dz)} = {tex(out)} - y$", text_equation=f"{dz} = {out} − y",
                operands=(self.h_operand(depth), _operand("y", engine.column(s.y))),
                operators=("", "−"), result=_operand(dz, dz_value), highlight=both,
                explanation=(f"For a {pair} output with cross-entropy, the derivative through the loss and the "
                             f"output activation collapses to {out} − y: the gap between prediction and "
                             f"target. The backward pass starts here."),
                activation=s.output_activation,
            )
            return
        dh = layer_symbol("dh", depth)
        self.add(
            phase=BACKWARD, kind="dh", rule="residual", layer=depth, symbol=dh,
            title=f"Gradient of the loss with respect to {out}",
            equation=f"${tex(dh)} = {tex(out)} - y$", text_equation=f"{dh} = {out} − y",
            operands=(self.h_operand(depth), _operand("y", engine.column(s.y))),
            operators=("", "−"), result=_operand(dh, g.dh[depth - 1]), highlight=both,
            explanation=(f"L = ½ Σ (h − y)² changes with each output {out}_k at the rate {out}_k − y_k. "
                         f"The backward pass starts here."),
        )
        if s.output_activation == "softmax":
            z = layer_symbol("z", depth)
            jac = engine.softmax_jacobian(self.it.forward.z[depth - 1])
            jac_symbol, jac_label = f"J_softmax({z})ᵀ", f"J_{{\\mathrm{{softmax}}}}({tex(z)})^T"
            self.add(
                phase=BACKWARD, kind="dz", rule="jacobian", layer=depth, symbol=dz,
                title=f"Gradient of the loss with respect to z[{depth}]",
                equation=f"${tex(dz)} = {jac_label} \\cdot {tex(dh)}$",
                text_equation=f"{dz} = {jac_symbol} · {dh}",
                operands=(_operand(jac_symbol, jac.T, jac_label), _operand(dh, g.dh[depth - 1])),
                operators=("", "·"), result=_operand(dz, dz_value), highlight=both,
                explanation=("Each p_k depends on every z_m, so the gradient goes through the softmax "
                             "Jacobian ∂p_k/∂z_m = p_k(δ_km − p_m): dz_m = Σ_k dh_k · ∂p_k/∂z_m."),
                activation="softmax",
            )
        else:
            self.elementwise_gradient(depth)

    def elementwise_gradient(self, layer: int) -> None:
        act = self.net.activation(layer)
        dz, dh, z = (layer_symbol(n, layer) for n in ("dz", "dh", "z"))
        derivative_symbol = f"{act.name}'({z})"
        derivative_label = f"{act.mathtext}'({tex(z)})"
        derivative = act.derivative(self.it.forward.z[layer - 1])
        self.add(
            phase=BACKWARD, kind="dz", rule="hadamard", layer=layer, symbol=dz,
            title=f"Gradient of the loss with respect to z[{layer}]",
            equation=f"${tex(dz)} = {tex(dh)} \\otimes {derivative_label}$",
            text_equation=f"{dz} = {dh} ⊗ {derivative_symbol}",
            operands=(_operand(dh, self.it.gradients.dh[layer - 1]),
                      _operand(derivative_symbol, derivative, derivative_label)),
            operators=("", "⊗"),
            result=_operand(dz, self.it.gradients.dz[layer - 1]),
            highlight=Highlight(node_layers=(layer,), direction=BACKWARD),
            explanation=(f"h[{layer}] = {act.name}(z[{layer}]) entry by entry, so the chain rule multiplies "
                         f"dh[{layer}] elementwise (⊗) by the slope {derivative_symbol} of the activation "
                         f"at each unit."),
            activation=act.name,
        )

    def weight_gradient(self, layer: int) -> None:
        prev = self.h_name(layer - 1)
        dW, dz = layer_symbol("dW", layer), layer_symbol("dz", layer)
        self.add(
            phase=BACKWARD, kind="dW", rule="outer", layer=layer, symbol=dW,
            title=f"Gradient of the loss with respect to W[{layer}]",
            equation=f"${tex(dW)} = {tex(dz)} \\cdot ({tex(prev)})^T$",
            text_equation=f"{dW} = {dz} · ({prev})ᵀ",
            operands=(_operand(dz, self.it.gradients.dz[layer - 1]),
                      _operand(f"({prev})ᵀ", self.it.forward.h[layer - 1].T, f"({tex(prev)})^T")),
            operators=("", "·"),
            result=_operand(dW, self.it.gradients.dW[layer - 1]),
            highlight=Highlight(edge_layers=(layer,), direction=BACKWARD),
            explanation=(f"z[{layer}]_j = Σ_i w[{layer}]_ij · {prev}_i + b[{layer}]_j, so ∂z_j/∂w_ij = {prev}_i and "
                         f"∂L/∂w[{layer}]_ij = dz[{layer}]_j · {prev}_i: together the outer product "
                         f"{dz} · ({prev})ᵀ, one entry per weight."),
        )

    def bias_gradient(self, layer: int) -> None:
        db, dz = layer_symbol("db", layer), layer_symbol("dz", layer)
        self.add(
            phase=BACKWARD, kind="db", rule="copy", layer=layer, symbol=db,
            title=f"Gradient of the loss with respect to b[{layer}]",
            equation=f"${tex(db)} = {tex(dz)}$", text_equation=f"{db} = {dz}",
            operands=(_operand(dz, self.it.gradients.dz[layer - 1]),),
            operators=("",),
            result=_operand(db, self.it.gradients.db[layer - 1]),
            highlight=Highlight(node_layers=(layer,), direction=BACKWARD),
            explanation=(f"The bias enters z[{layer}]_j as + b[{layer}]_j, so ∂z_j/∂b_j = 1 and the "
                         f"gradient of the bias is dz[{layer}] itself."),
        )

    def hidden_gradient(self, layer: int) -> None:
        prev = layer - 1
        dh, W, dz = layer_symbol("dh", prev), layer_symbol("W", layer), layer_symbol("dz", layer)
        self.add(
            phase=BACKWARD, kind="dh", rule="transpose_product", layer=prev, symbol=dh,
            title=f"Gradient of the loss with respect to h[{prev}]",
            equation=f"${tex(dh)} = ({tex(W)})^T \\cdot {tex(dz)}$",
            text_equation=f"{dh} = ({W})ᵀ · {dz}",
            operands=(_operand(f"({W})ᵀ", self.net.weights[layer - 1].T, f"({tex(W)})^T"),
                      _operand(dz, self.it.gradients.dz[layer - 1])),
            operators=("", "·"),
            result=_operand(dh, self.it.gradients.dh[prev - 1]),
            highlight=Highlight(node_layers=(prev,), edge_layers=(layer,), direction=BACKWARD),
            explanation=(f"{W} links h[{prev}] to z[{layer}], so the gradient reaches h[{prev}] through "
                         f"({W})ᵀ: each h[{prev}]_i collects dz[{layer}]_j · w[{layer}]_ij from every unit j "
                         f"it feeds."),
        )

    # update --------------------------------------------------------------------------------
    def update(self) -> None:
        lr = self.scenario.learning_rate
        for layer in range(self.depth, 0, -1):
            for kind, grads, before, after in (
                ("W", self.it.gradients.dW, self.net.weights, self.it.updated.weights),
                ("b", self.it.gradients.db, self.net.biases, self.it.updated.biases),
            ):
                name, grad = layer_symbol(kind, layer), layer_symbol(f"d{kind}", layer)
                what = "weight" if kind == "W" else "bias"
                self.add(
                    phase=UPDATE, kind=kind, rule="descent", layer=layer, symbol=name,
                    title=f"Update of {name}",
                    equation=f"${tex(name)} \\leftarrow {tex(name)} - \\alpha \\cdot {tex(grad)},\\ \\alpha = {lr:g}$",
                    text_equation=f"{name} ← {name} − α · {grad}   (α = {lr:g})",
                    operands=(_operand(name, before[layer - 1]), _operand(grad, grads[layer - 1])),
                    operators=("", "−α·"),
                    result=_operand(name, after[layer - 1]),
                    highlight=Highlight(
                        edge_layers=(layer,) if kind == "W" else (),
                        node_layers=(layer,) if kind == "b" else (),
                        direction=UPDATE),
                    explanation=(f"Gradient descent: each {what} moves against its gradient, by the learning "
                                 f"rate α = {lr:g} times the gradient, so the loss goes down for a small "
                                 f"enough α."),
                    before=_frozen(before[layer - 1]),
                )


def build_plan(scenario: Scenario, iteration: Iteration | None = None) -> tuple[Step, ...]:
    """The whole walkthrough of one iteration, in the lecture's order."""
    builder = _PlanBuilder(iteration or run_iteration(scenario))
    builder.forward()
    builder.backward()
    builder.update()
    return tuple(builder.steps)
