"""The quiz strip: the question about the current step, the answer widgets, feedback and the score."""
from __future__ import annotations

import tkinter as tk
from tkinter import ttk
from typing import Callable

from simulator.quiz import NEEDS, SHAPE, VALUE, Feedback, Question

RIGHT_COLOR, WRONG_COLOR = "#1b5e9e", "#a50026"  # blue and dark red: told apart without colour too (✓/✗)


class QuizPanel:
    def __init__(self, parent: tk.Widget, on_check: Callable[[], None], on_reveal: Callable[[], None]):
        self.frame = ttk.Frame(parent, padding=(8, 4), relief="groove")
        top = ttk.Frame(self.frame)
        top.pack(fill="x")
        self.prompt = ttk.Label(top, text="", font="TkHeadingFont")
        self.prompt.pack(side="left")
        self.score = ttk.Label(top, text="")
        self.score.pack(side="right")
        self.answer_row = ttk.Frame(self.frame)
        self.answer_row.pack(fill="x", pady=(4, 0))
        self.choices_frame = ttk.Frame(self.answer_row)
        self.choices_frame.pack(side="left")
        self.value = tk.StringVar(self.frame)
        self.entry = ttk.Entry(self.answer_row, textvariable=self.value, width=14)
        self.check_button = ttk.Button(self.answer_row, text="Check (Enter)", command=on_check, takefocus=False)
        self.reveal_button = ttk.Button(self.answer_row, text="Reveal (R)", command=on_reveal, takefocus=False)
        self.reveal_button.pack(side="right")
        self.check_button.pack(side="right", padx=4)
        self.feedback = ttk.Label(self.frame, text="", wraplength=1100)
        self.feedback.pack(fill="x", pady=(3, 0))
        self.entry.bind("<Return>", lambda _e: (on_check(), "break")[1])
        self.ticked: dict[str, tk.BooleanVar] = {}
        self.picked = tk.StringVar(self.frame)
        self.question: Question | None = None

    def show(self, question: Question, feedback: Feedback | None, score: str) -> None:
        """Show a question; with feedback it has been answered or revealed and the widgets are locked."""
        if question != self.question:
            self._build_answer_widgets(question)
        self.prompt.configure(text=question.prompt)
        self.score.configure(text=score)
        answered = feedback is not None
        for widget in (*self.choices_frame.winfo_children(), self.entry, self.check_button, self.reveal_button):
            widget.state(["disabled"] if answered else ["!disabled"])
        if feedback is None:
            self.feedback.configure(text="Answer, then press Enter to check, or R to reveal.", foreground="")
        else:
            mark = "✓" if feedback.correct else "✗"
            self.feedback.configure(text=f"{mark} {feedback.message}",
                                    foreground=RIGHT_COLOR if feedback.correct else WRONG_COLOR)

    def _build_answer_widgets(self, question: Question) -> None:
        self.question = question
        for child in self.choices_frame.winfo_children():
            child.destroy()
        self.ticked = {}
        self.picked.set("")
        self.value.set("")
        self.entry.pack_forget()
        if question.kind == NEEDS:
            for symbol in question.choices:
                var = tk.BooleanVar(self.frame, value=False)
                ttk.Checkbutton(self.choices_frame, text=symbol, variable=var, takefocus=False).pack(side="left", padx=4)
                self.ticked[symbol] = var
        elif question.kind == SHAPE:
            for shape in question.choices:
                ttk.Radiobutton(self.choices_frame, text=shape, value=shape, variable=self.picked,
                                takefocus=False).pack(side="left", padx=4)
        elif question.kind == VALUE:
            self.entry.pack(side="left", padx=4)

    def response(self) -> str | frozenset[str]:
        if self.question is None:
            return ""
        if self.question.kind == NEEDS:
            return frozenset(s for s, var in self.ticked.items() if var.get())
        if self.question.kind == SHAPE:
            return self.picked.get()
        return self.value.get()

    def has_response(self) -> bool:
        return bool(self.response())

    # for tests and for a keyboard-only user: answer without the mouse
    def tick(self, symbol: str) -> None:
        self.ticked[symbol].set(True)

    def pick(self, shape: str) -> None:
        self.picked.set(shape)

    @property
    def feedback_text(self) -> str:
        return str(self.feedback.cget("text"))
