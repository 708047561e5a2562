"""Word 97–2003 .doc through antiword (Debian's antiword package), and through catdoc (Debian's
catdoc package) when antiword rejects the file, as it does many saved by WPS Office.

catdoc reads what antiword refuses but prints whatever bytes it finds in a file that is no
Word document at all, so its text counts only for a compound (OLE) file and only when it holds
Chinese prose.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile

from indexer.formats.base import Extracted
from indexer.read import ReadError

__all__ = ["READERS", "read"]

_TIMEOUT = 60  # seconds
_OLE = b"\xd0\xcf\x11\xe0"
READERS = ("antiword", "catdoc")
_PROSE = re.compile(r"[\u3400-\u9fff][^。！？\n]{3,}[。！？]")


def _run(argv: list[str], path: str) -> tuple[int, str, str]:
    """(exit code, stdout, last line of stderr) of a converter, the file's path out of it."""
    try:
        done = subprocess.run(argv, capture_output=True, timeout=_TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        raise ReadError(
            f"{argv[0].rsplit('/', 1)[-1]} took over {_TIMEOUT} s on this .doc"
        ) from exc
    lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
    why = (lines[-1] if lines else "").replace(path, "the file").strip()
    return done.returncode, done.stdout.decode("utf-8", "replace"), why


def read(data: bytes) -> Extracted:
    """The text antiword gives (UTF-8, no line wrapping), else catdoc's; ReadError when neither
    is installed or neither reads the file. `Extracted.reader` names the one that read it."""
    antiword, catdoc = shutil.which("antiword"), shutil.which("catdoc")
    if not (antiword or catdoc):
        raise ReadError("a .doc file needs conversion: install antiword or save it as .docx")
    with tempfile.NamedTemporaryFile(suffix=".doc") as tmp:
        tmp.write(data)
        tmp.flush()
        why = "antiword is not installed"
        if antiword:
            code, text, why = _run([antiword, "-m", "UTF-8.txt", "-w", "0", tmp.name], tmp.name)
            if code == 0:
                return Extracted(text, reader="antiword")
            why = why or "antiword failed"
        if catdoc and data.startswith(_OLE):
            code, text, _ = _run([catdoc, "-d", "utf-8", "-w", tmp.name], tmp.name)
            if code == 0 and _PROSE.search(text):
                return Extracted(text, reader="catdoc")
            why += "; catdoc found no text"
    raise ReadError(f"unreadable .doc: {why}")
