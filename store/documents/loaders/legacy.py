"""Legacy Office files (.doc, .ppt, .xls): converted by LibreOffice headless when `soffice` is
installed, then read by the modern loader; without it they are refused with the remedy."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from store.documents.loaders.base import LoadedDocument, LoadError

TARGETS = {".doc": "docx", ".ppt": "pptx", ".xls": "xlsx"}
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
    with tempfile.TemporaryDirectory(prefix="advisor-convert-") as tmp:
        work = Path(tmp)
        # A private profile: a user's running LibreOffice would otherwise swallow the conversion.
        command = [
            soffice,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
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
