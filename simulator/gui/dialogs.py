"""The questions the window asks the user, in one object so that tests can replace it with a fake."""
from __future__ import annotations

from tkinter import filedialog, messagebox, simpledialog

DEFAULT_DPI = 150


class Dialogs:
    def __init__(self, parent):
        self.parent = parent

    def ask_open_path(self, initial_dir: str) -> str:
        return filedialog.askopenfilename(parent=self.parent, title="Open scenario", initialdir=initial_dir,
                                          filetypes=[("Scenario", "*.json"), ("All files", "*")])

    def ask_save_path(self, initial_dir: str, initial_name: str) -> str:
        return filedialog.asksaveasfilename(parent=self.parent, title="Save scenario as", initialdir=initial_dir,
                                            initialfile=initial_name, defaultextension=".json",
                                            filetypes=[("Scenario", "*.json")])

    def ask_export_path(self, title: str, initial_dir: str, initial_name: str, kinds: list[tuple[str, str]]) -> str:
        return filedialog.asksaveasfilename(parent=self.parent, title=title, initialdir=initial_dir,
                                            initialfile=initial_name, defaultextension=kinds[0][1][1:],
                                            filetypes=kinds)

    def ask_resolution(self) -> int | None:
        return simpledialog.askinteger("Resolution", "Dots per inch (72 to 600):", parent=self.parent,
                                       initialvalue=DEFAULT_DPI, minvalue=72, maxvalue=600)

    def ask_save_changes(self, name: str) -> str:
        """'save', 'discard' or 'cancel'."""
        answer = messagebox.askyesnocancel("Unsaved changes", f"Save the changes to {name} first?",
                                           parent=self.parent)
        return {True: "save", False: "discard", None: "cancel"}[answer]

    def error(self, title: str, message: str) -> None:
        messagebox.showerror(title, message, parent=self.parent)

    def info(self, title: str, message: str) -> None:
        messagebox.showinfo(title, message, parent=self.parent)
