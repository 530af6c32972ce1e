"""Where uploaded documents' bytes live: `<data_dir>/uploads`, under generated file names.

A document's name (its `source`) is whatever the uploader called it, in any script and of any
length; file systems limit a name to 255 bytes (85 Chinese characters), so the bytes are stored
as `u-<random hex><suffix>` and `index.json` maps each source to its file. The index is replaced
atomically, so it always names complete files. Temporary files (`.tmp-*`, and `.upload-*` from
earlier versions) and generated files no index entry names are what an interrupted upload leaves
behind; `clean()` removes them, and the server calls it at startup. Files from before the index
existed (stored under their own names) are adopted into it.

Several server processes may share the folder: changes to the index hold an exclusive `flock` on
`uploads.lock` beside it, and each temporary file is `flock`ed by the process writing it until it is kept or
discarded, so a process starting up never removes another one's upload in flight (the kernel
drops the lock of a process that died, which makes its leftovers removable).
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

INDEX = "index.json"
_GENERATED = re.compile(r"^u-[0-9a-f]{32}\.[A-Za-z0-9]+$")
_TEMPORARY = (".tmp-", ".upload-")


class UploadFolder:
    """Uploaded files by source. One writer at a time across processes; readers never wait."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = threading.Lock()
        self._held: dict[Path, int] = {}  # temporary file -> the descriptor holding its lock

    @contextmanager
    def _exclusive(self) -> Iterator[None]:
        with self._lock:
            self.folder.mkdir(parents=True, exist_ok=True)
            with self.folder.with_name(f"{self.folder.name}.lock").open("a") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
                yield

    def files(self) -> dict[str, str]:
        """source -> stored file name."""
        try:
            raw = json.loads((self.folder / INDEX).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return {str(k): str(v) for k, v in raw.items()} if isinstance(raw, dict) else {}

    def path_of(self, source: str) -> Path | None:
        name = self.files().get(source)
        return self.folder / name if name else None

    def temporary(self, suffix: str) -> Path:
        """A fresh, locked temporary file in the folder (same file system, so the final rename is
        atomic). `keep` or `discard` it."""
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f".tmp-{uuid.uuid4().hex}{suffix}"
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with self._lock:
            self._held[path] = fd
        return path

    def discard(self, temporary: Path) -> None:
        """Removes a temporary file that was not kept (a no-op once it was) and drops its lock."""
        temporary.unlink(missing_ok=True)
        self._release(temporary)

    def _release(self, temporary: Path) -> None:
        with self._lock:
            fd = self._held.pop(temporary, None)
        if fd is not None:
            os.close(fd)

    def keep(self, source: str, temporary: Path) -> tuple[dict[str, str], Path]:
        """Move `temporary` under a generated name and point `source` at it.

        Returns the index as it was, so `restore` can undo this if the commit that follows fails.
        """
        with self._exclusive():
            before = self.files()
            final = self.folder / f"u-{uuid.uuid4().hex}{temporary.suffix.lower()}"
            os.replace(temporary, final)
            self._write({**before, source: final.name})
        self._release(temporary)
        return before, final

    def restore(self, before: dict[str, str], added: Path) -> None:
        with self._exclusive():
            self._write(before)
            added.unlink(missing_ok=True)

    def forget(self, source: str) -> None:
        with self._exclusive():
            files = self.files()
            name = files.pop(source, None)
            if name is not None:
                self._write(files)
                (self.folder / name).unlink(missing_ok=True)

    def clean(self) -> list[str]:
        """Remove what interrupted uploads left (temporary and unreferenced files); adopt legacy files."""
        if not self.folder.is_dir():
            return []
        removed: list[str] = []
        with self._exclusive():
            files = self.files()
            named = set(files.values())
            for entry in sorted(self.folder.iterdir()):
                name = entry.name
                if not entry.is_file() or name == INDEX:
                    continue
                if name.startswith(_TEMPORARY) and _in_flight(entry):
                    continue
                if name.startswith(_TEMPORARY) or (_GENERATED.match(name) and name not in named):
                    entry.unlink(missing_ok=True)
                    removed.append(name)
                elif not _GENERATED.match(name) and not name.startswith(".") and name not in files:
                    files[name] = name  # stored under its own name before the index existed
            if files != self.files():
                self._write(files)
        return removed

    def _write(self, files: dict[str, str]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / f".tmp-{uuid.uuid4().hex}.json"
        tmp.write_text(json.dumps(files, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, self.folder / INDEX)


def _in_flight(path: Path) -> bool:
    """True while a live process (this one included) holds the temporary file's lock."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return False
    except BlockingIOError:
        return True
    finally:
        os.close(fd)


_FOLDERS: dict[Path, UploadFolder] = {}
_FOLDERS_LOCK = threading.Lock()


def upload_folder(folder: Path) -> UploadFolder:
    """The one UploadFolder per path in this process, so its lock covers every writer here."""
    with _FOLDERS_LOCK:
        return _FOLDERS.setdefault(folder.resolve(), UploadFolder(folder.resolve()))
