"""The questions the window asks the user, in one object so that tests can replace it with a fake."""
from __future__ import annotations

from tkinter import filedialog, messagebox


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

    def error(self, title: str, message: str) -> None:
        messagebox.showerror(title, message, parent=self.parent)

    def info(self, title: str, message: str) -> None:
        messagebox.showinfo(title, message, parent=self.parent)
