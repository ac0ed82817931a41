"""Network ▸ Check all gradients: every parameter's back-propagated gradient beside its central
finite-difference estimate, with the relative error."""
from __future__ import annotations

import tkinter as tk
from tkinter import ttk

from simulator import gradcheck
from simulator.notation import vector_entry, weight_entry


def gradient_check_rows(checks: list[gradcheck.ParameterCheck]) -> list[tuple[str, str, str, str, str]]:
    """(parameter, back-propagated, finite differences, relative error, verdict) per parameter."""
    rows = []
    for check in checks:
        layer = int(check.symbol[3:-1])
        errors = gradcheck.relative_error(check.analytic, check.numeric)
        for (r, c), analytic in zip(((r, c) for r in range(check.analytic.shape[0])
                                     for c in range(check.analytic.shape[1])), check.analytic.ravel()):
            name = (weight_entry(layer, r, c, prefix="d") if check.symbol.startswith("dW")
                    else vector_entry(f"db[{layer}]", r))
            error = errors[r, c]
            rows.append((name, f"{analytic:.8g}", f"{check.numeric[r, c]:.8g}", f"{error:.1e}",
                         "✓" if error < gradcheck.TOLERANCE else "✗"))
    return rows


def show_gradient_checks(parent: tk.Misc, checks: list[gradcheck.ParameterCheck], text_size: int) -> ttk.Treeview:
    window = tk.Toplevel(parent)
    window.title("Gradient check: back-propagation against finite differences")
    window.transient(parent)
    worst = max(check.max_error for check in checks)
    passed = all(check.passed for check in checks)
    summary = (f"{'All gradients agree' if passed else 'SOME GRADIENTS DISAGREE'}: largest relative error "
               f"{worst:.1e} (tolerance {gradcheck.TOLERANCE:g}; central differences with h = {gradcheck.STEP:g}).")
    ttk.Label(window, text=summary, padding=8, wraplength=text_size * 60).pack(fill="x")
    ttk.Button(window, text="Close", command=window.destroy).pack(side="bottom", pady=6)
    columns = ("backprop", "numeric", "error", "ok")
    tree = ttk.Treeview(window, columns=columns, height=18)
    for column, heading, width in (("#0", "parameter", 11), ("backprop", "back-propagated", 14),
                                   ("numeric", "finite differences", 14), ("error", "rel. error", 9),
                                   ("ok", "", 3)):
        tree.heading(column, text=heading)
        tree.column(column, width=int(width * text_size * 0.9), anchor="w" if column == "#0" else "e")
    for name, analytic, numeric, error, verdict in gradient_check_rows(checks):
        tree.insert("", "end", text=name, values=(analytic, numeric, error, verdict))
    scroll = ttk.Scrollbar(window, orient="vertical", command=tree.yview)
    tree.configure(yscrollcommand=scroll.set)
    tree.pack(side="left", fill="both", expand=True, padx=(8, 0), pady=(0, 8))
    scroll.pack(side="right", fill="y", pady=(0, 8))
    window.bind("<Escape>", lambda _e: window.destroy())
    return tree
