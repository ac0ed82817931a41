"""Atomic file writing: a failure in the middle never leaves a half-written file under the name."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import BinaryIO, Callable

NEW_FILE_MODE = 0o644


def atomic_write(path: str | os.PathLike, write: Callable[[BinaryIO], None]) -> None:
    """Call `write` on a temporary file beside `path`, then replace `path` with it.

    Raises OSError (e.g. a directory, a read-only folder) before anything appears under `path`.
    """
    target = Path(path)
    if target.is_dir():
        raise IsADirectoryError(21, "is a directory", str(target))
    mode = target.stat().st_mode & 0o777 if target.exists() else NEW_FILE_MODE
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, mode)
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def atomic_write_text(path: str | os.PathLike, text: str) -> None:
    atomic_write(path, lambda handle: handle.write(text.encode("utf-8")))


def write_error(path: str | os.PathLike, err: OSError) -> str:
    """`<path>: file: cannot be written (<reason>)`: the one line the command line and the window show."""
    reason = (err.strerror or str(err)).lower()
    return f"{path}: file: cannot be written ({reason})"
