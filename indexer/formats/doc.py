"""Word 97–2003 .doc through antiword (Debian's antiword package), when it is installed."""

from __future__ import annotations

import shutil
import subprocess
import tempfile

from indexer.formats.base import Extracted
from indexer.read import ReadError

__all__ = ["read"]

_TIMEOUT = 60  # seconds


def read(data: bytes) -> Extracted:
    """The text antiword gives (UTF-8, no line wrapping); ReadError when antiword is missing."""
    antiword = shutil.which("antiword")
    if not antiword:
        raise ReadError("a .doc file needs conversion: install antiword or save it as .docx")
    with tempfile.NamedTemporaryFile(suffix=".doc") as tmp:
        tmp.write(data)
        tmp.flush()
        try:
            done = subprocess.run(
                [antiword, "-m", "UTF-8.txt", "-w", "0", tmp.name],
                capture_output=True,
                timeout=_TIMEOUT,
            )
        except subprocess.TimeoutExpired as exc:
            raise ReadError(f"antiword took over {_TIMEOUT} s on this .doc") from exc
    if done.returncode != 0:
        why = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ReadError(f"unreadable .doc: {why[-1] if why else 'antiword failed'}")
    return Extracted(done.stdout.decode("utf-8", "replace"))
