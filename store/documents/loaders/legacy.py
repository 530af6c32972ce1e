"""Legacy Office files (.doc, .ppt, .xls): converted by LibreOffice headless when `soffice` is
installed, then read by the modern loader; without it they are refused with the remedy.

LibreOffice guesses the kind of a file it cannot parse and falls back to importing it as plain text,
which turns a damaged binary into pages of mojibake. So a binary (OLE2) file is opened with the one
import filter its suffix names, and fails cleanly when damaged; only the other shapes these suffixes
really come in (RTF, and HTML or XML saved by Office) are left to LibreOffice's detection.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from store.documents.loaders.base import LoadedDocument, LoadError

TARGETS = {".doc": "docx", ".ppt": "pptx", ".xls": "xlsx"}
IMPORT_FILTERS = {".doc": "MS Word 97", ".ppt": "MS PowerPoint 97", ".xls": "MS Excel 97"}
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_TEXT_SHAPES = (b"{\\rtf", b"<")  # RTF; HTML or XML (Word and Excel "save as web page")
CONVERT_TIMEOUT_S = 120


def load_legacy(
    path: Path, source: str, load_modern: Callable[[Path, str], LoadedDocument]
) -> LoadedDocument:
    suffix = path.suffix.lower()
    target = TARGETS[suffix]
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise LoadError(
            f"legacy {suffix} needs LibreOffice to convert (install `soffice`, or save the file as .{target})"
        )
    import_filter = _import_filter(path)
    with tempfile.TemporaryDirectory(prefix="advisor-convert-") as tmp:
        work = Path(tmp)
        # A private profile: a user's running LibreOffice would otherwise swallow the conversion.
        command = [
            soffice,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            *import_filter,
            "--convert-to",
            target,
            "--outdir",
            str(work),
            str(path),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=CONVERT_TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:
            raise LoadError(f"LibreOffice took over {CONVERT_TIMEOUT_S} s to convert {suffix}") from None
        converted = work / f"{path.stem}.{target}"
        if not converted.exists():
            raise LoadError(f"LibreOffice could not convert this {suffix} file (corrupt or protected?)")
        doc = load_modern(converted, source)
    doc.format = suffix.lstrip(".")
    return doc


def _import_filter(path: Path) -> list[str]:
    """The forced import filter for a binary file; none for RTF/HTML/XML; a refusal for anything else."""
    with path.open("rb") as fh:
        head = fh.read(512)
    if head.startswith(OLE2_MAGIC):
        return [f"--infilter={IMPORT_FILTERS[path.suffix.lower()]}"]
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(_TEXT_SHAPES):
        return []
    raise LoadError(f"not a legacy Office file (no {path.suffix.lower()} header)")
