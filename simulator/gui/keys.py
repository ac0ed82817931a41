"""The window's keys, in one table: bound so that they work wherever the focus is in the main window,
and listed in Help ▸ Keyboard shortcuts.

Navigation keys (arrows, Space, Home, End, letters) are left to text fields, where they edit text;
command keys (Ctrl+…, F-keys, Escape) work in text fields too.
"""
from __future__ import annotations

import tkinter as tk
from typing import Callable

NAVIGATION_TAG = "StepperNavigation"
COMMAND_TAG = "StepperCommands"

# (sequences, command name, what the help says, is a navigation key)
KEYS = (
    (("<Right>", "<space>"), "next", "Right or Space", "next step (at the last step: the next iteration)", True),
    (("<Left>",), "back", "Left", "previous step", True),
    (("<Home>",), "first", "Home", "first step", True),
    (("<End>",), "last", "End", "last step", True),
    (("<q>", "<Q>"), "toggle_quiz", "Q", "quiz mode: predict each result before it is shown", True),
    (("<r>", "<R>"), "reveal", "R", "in quiz mode: reveal the result", True),
    (("<Return>",), "quiz_submit", "Enter", "in quiz mode: check the answer", True),
    (("<Control-o>",), "open", "Ctrl+O", "open a scenario", False),
    (("<Control-s>",), "save", "Ctrl+S", "save the scenario", False),
    (("<Control-q>",), "quit", "Ctrl+Q", "quit", False),
    (("<Control-plus>", "<Control-equal>", "<Control-KP_Add>"), "larger_text", "Ctrl+plus", "larger text", False),
    (("<Control-minus>", "<Control-KP_Subtract>"), "smaller_text", "Ctrl+minus", "smaller text", False),
    (("<F11>",), "toggle_fullscreen", "F11", "full screen", False),
    (("<F5>",), "toggle_presentation", "F5", "presentation mode (Esc leaves)", False),
    (("<Escape>",), "leave_presentation", "Esc", "leave presentation mode", False),
)
MOUSE = (
    ("Click a result cell", "that entry's arithmetic, and its edge or node in the drawing"),
    ("Hover a node or edge", "its name, value and gradient"),
)


def help_text() -> str:
    lines = [f"{keys}: {what}" for _seq, _name, keys, what, _nav in KEYS]
    return "\n".join(lines + [f"{how}: {what}" for how, what in MOUSE])


def bind_keys(root: tk.Misc, commands: dict[str, Callable[[], None]]) -> None:
    for sequences, name, _keys, _what, navigation in KEYS:
        tag = NAVIGATION_TAG if navigation else COMMAND_TAG
        for sequence in sequences:
            # "break" keeps the focused widget (step list, button) from also acting on the key
            root.bind_class(tag, sequence, lambda _e, c=commands[name]: (c(), "break")[1])
    tag_widgets(root)


def tag_widgets(widget: tk.Misc) -> None:
    """Put the window's keys first in the bindings of `widget` and its children (not dialogs)."""
    tags = widget.bindtags()
    text_field = isinstance(widget, (tk.Entry, tk.Text)) or widget.winfo_class() in ("TEntry", "TSpinbox")
    # command keys first: a plain-key binding such as <q> would also match Ctrl+Q
    ours = (COMMAND_TAG,) if text_field else (COMMAND_TAG, NAVIGATION_TAG)
    if COMMAND_TAG not in tags:
        widget.bindtags((*ours, *tags))
    for child in widget.winfo_children():
        if not isinstance(child, tk.Toplevel):
            tag_widgets(child)
