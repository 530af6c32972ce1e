"""Bounds for zip-based formats (docx, pptx, xlsx), checked before any library opens the file.

A few hundred KB of zip can hold gigabytes of zeros or tens of thousands of members; python-docx,
python-pptx and openpyxl would inflate all of it into memory. The central directory declares every
member's size, and Python's zipfile never inflates a member past its declared size (it fails the
CRC instead), so checking the declared sizes bounds what parsing can allocate.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from settings import get_settings
from store.documents.loaders.base import LoadError

# Real Office XML compresses 5-20x; a whole archive inflating more than this is built to expand.
MAX_RATIO = 100
RATIO_FLOOR_BYTES = 10 * 1024 * 1024  # small archives may compress well without being a danger


def check_zip(path: Path, kind: str) -> None:
    """Refuse an archive with too many members or too much declared content."""
    settings = get_settings()
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise LoadError(f"corrupt or unreadable {kind} (not a valid zip package)") from None
    if len(members) > settings.max_zip_members:
        raise LoadError(
            f"{kind} has too many parts ({len(members):,} zip members > limit {settings.max_zip_members:,})"
        )
    inflated = sum(m.file_size for m in members)
    limit = settings.max_unzipped_mb * 1024 * 1024
    if inflated > limit:
        raise LoadError(
            f"{kind} expands too much ({inflated / 1048576:,.0f} MB unzipped > limit "
            f"{settings.max_unzipped_mb:g} MB)"
        )
    packed = max(path.stat().st_size, 1)
    if inflated > RATIO_FLOOR_BYTES and inflated / packed > MAX_RATIO:
        raise LoadError(
            f"{kind} expands too much ({inflated / 1048576:,.0f} MB from {packed / 1024:,.0f} KB,"
            f" {inflated / packed:,.0f}x > {MAX_RATIO}x)"
        )
