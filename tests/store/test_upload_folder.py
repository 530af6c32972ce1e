"""The uploads folder shared by several server processes on one data directory."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from settings import REPO_ROOT
from store.documents.uploads import UploadFolder

_KEEPER = """
import sys
from pathlib import Path
from store.documents.uploads import UploadFolder
folder = UploadFolder(Path(sys.argv[1]))
for i in range(40):
    tmp = folder.temporary(".md")
    tmp.write_text("x")
    folder.keep(f"{sys.argv[2]}-{i}.md", tmp)
"""


def test_an_upload_in_flight_survives_another_process_starting_up(tmp_path: Path) -> None:
    mine, starting = UploadFolder(tmp_path), UploadFolder(tmp_path)  # two processes' views
    in_flight = mine.temporary(".md")
    in_flight.write_text("half written")
    dead = tmp_path / ".tmp-0123456789abcdef0123456789abcdef.md"  # its process died: no lock
    dead.write_text("left behind")
    assert starting.clean() == [dead.name] and in_flight.exists()
    mine.discard(in_flight)
    assert not in_flight.exists() and starting.clean() == []


def test_processes_keeping_uploads_at_once_lose_no_index_entry(tmp_path: Path) -> None:
    keepers = [
        subprocess.Popen([sys.executable, "-c", _KEEPER, str(tmp_path), name], cwd=REPO_ROOT)
        for name in ("a", "b", "c")
    ]
    assert [k.wait(120) for k in keepers] == [0, 0, 0]
    files = UploadFolder(tmp_path).files()
    assert len(files) == 120 and all((tmp_path / name).is_file() for name in files.values())
