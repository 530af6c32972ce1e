"""API keys and principals: who is calling, in which role, with which access groups.

Keys come from the JSON file named by `ADVISOR_API_KEYS_FILE`. Only their SHA-256 digests are
kept in memory, and a presented key is compared against every digest in constant time, so
neither timing nor a memory dump reveals which keys exist.

The file is validated as a whole: an entry whose key could never authenticate (whitespace,
non-ASCII, too short), a key given twice, or one principal with two different roles or group
lists is refused, and the message names the entry's principal, never its key. The server
re-reads the file when it changes (checked at most once a second), so keys rotate without a
restart: add the new key, move clients over, remove the old one. A changed file that fails
validation is refused as a whole, and the keys already loaded stay in force.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

from store.records import PUBLIC

log = logging.getLogger("advisor.server")
Role = Literal["admin", "viewer"]
GROUP_PATTERN = r"^[A-Za-z0-9_.-]{1,64}$"
MIN_KEY_CHARS = 16  # shorter keys are refused
GOOD_KEY_CHARS = 32  # shorter keys load with a warning: use long random tokens
_KEY_CHARS = re.compile(r"[\x21-\x7e]+")  # printable ASCII without spaces: what a Bearer header carries


class KeyFileError(RuntimeError):
    """The keys file is missing or malformed; the message names the file and the problem."""


class ApiKeyEntry(BaseModel):
    key: str = Field(description="The secret a client sends as `Authorization: Bearer <key>`.")
    principal: str = Field(min_length=1, max_length=128)
    groups: list[str] = Field(default_factory=list)
    role: Role = "viewer"


@dataclass(frozen=True)
class Principal:
    """An authenticated caller. `groups=None` means unrestricted (the keyless loopback user)."""

    name: str
    role: Role
    groups: tuple[str, ...] | None
    key_id: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def search_groups(self) -> list[str] | None:
        """Groups to hand to retrieval; public documents are always visible."""
        return None if self.groups is None else sorted({*self.groups, PUBLIC})

    def can_see(self, access: list[str]) -> bool:
        if self.groups is None:
            return True
        return bool(set(access or [PUBLIC]) & {*self.groups, PUBLIC})


# Without keys the server binds loopback only; its single user owns the machine anyway.
LOCAL = Principal(name="local", role="admin", groups=None, key_id="local")


def _digest(key: str) -> bytes:
    return hashlib.sha256(key.encode("utf-8")).digest()


def key_problem(key: str) -> str | None:
    """Why a key can never authenticate or is too weak to accept; None when it is fine."""
    if key != key.strip():
        return "the key has surrounding whitespace, which no client can send"
    if not _KEY_CHARS.fullmatch(key):
        return "the key must be printable ASCII without spaces (a Bearer header cannot carry anything else)"
    if len(key) < MIN_KEY_CHARS:
        return f"the key has {len(key)} characters; use a long random token (at least {MIN_KEY_CHARS})"
    return None


def _entry_problems(entries: list[ApiKeyEntry]) -> list[str]:
    problems: list[str] = []
    owners: dict[bytes, str] = {}
    profiles: dict[str, tuple[str, tuple[str, ...]]] = {}
    for n, entry in enumerate(entries):
        who = f"entry {n} (principal {entry.principal!r})"
        if problem := key_problem(entry.key):
            problems.append(f"{who}: {problem}")
        bad = [g for g in entry.groups if not re.fullmatch(GROUP_PATTERN, g)]
        if bad:
            problems.append(f"{who}: invalid group {bad[0]!r} (letters, digits, '_', '-', '.')")
        digest = _digest(entry.key)
        if digest in owners:
            problems.append(f"{who}: the same key as {owners[digest]}")
        owners.setdefault(digest, who)
        profile = (entry.role, tuple(sorted(set(entry.groups))))
        if profiles.setdefault(entry.principal, profile) != profile:
            problems.append(f"{who}: another entry gives this principal a different role or groups")
    return problems


def load_entries(path: Path) -> list[ApiKeyEntry]:
    """The validated entries of a keys file; `KeyFileError` names every entry that is refused."""
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KeyFileError(f"API keys file {path} does not exist") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise KeyFileError(f"API keys file {path} is not readable JSON: {exc}") from None
    if not isinstance(raw, list) or not raw:
        raise KeyFileError(f"API keys file {path} must be a non-empty JSON list of key entries")
    entries, problems = [], []
    for n, item in enumerate(raw):
        try:
            entries.append(ApiKeyEntry.model_validate(item))
        except ValidationError as exc:
            who = item.get("principal") if isinstance(item, dict) else None
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            problems.append(f"entry {n} (principal {who!r}): {where}: {first['msg']}")
    problems += _entry_problems(entries)
    if problems:
        raise KeyFileError(f"API keys file {path}: " + "; ".join(problems))
    for entry in entries:
        if len(entry.key) < GOOD_KEY_CHARS:
            log.warning(
                "API key of principal %r has %d characters; use a random token of %d or more",
                entry.principal,
                len(entry.key),
                GOOD_KEY_CHARS,
            )
    return entries


def _principal(entry: ApiKeyEntry, digest: bytes) -> Principal:
    groups = tuple(dict.fromkeys(entry.groups))
    return Principal(name=entry.principal, role=entry.role, groups=groups, key_id=digest.hex()[:12])


def _signature(path: Path) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size, st.st_ino


class KeyRing:
    """The configured keys; empty means the server runs keyless (loopback only).

    With a file behind it, `refresh()` reloads the keys when the file changed.
    """

    recheck_s = 1.0

    def __init__(self, entries: list[ApiKeyEntry], path: Path | None = None) -> None:
        self._keys = self._build(entries)
        self._path = path
        self._signature = _signature(path) if path else None
        self._checked_at = time.monotonic()
        self._lock = threading.Lock()

    @staticmethod
    def _build(entries: list[ApiKeyEntry]) -> tuple[tuple[bytes, Principal], ...]:
        return tuple((d, _principal(e, d)) for e in entries for d in [_digest(e.key)])

    @property
    def enabled(self) -> bool:
        return bool(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def refresh(self) -> bool:
        """Reload the keys if the file changed since the last look; True when new keys are in force."""
        if self._path is None or time.monotonic() - self._checked_at < self.recheck_s:
            return False
        with self._lock:
            self._checked_at = time.monotonic()
            signature = _signature(self._path)
            if signature == self._signature:
                return False
            self._signature = signature
            try:
                keys = self._build(load_entries(self._path))
            except KeyFileError as exc:
                log.error("%s; the keys loaded before stay in force", exc)
                return False
            self._keys = keys
        log.warning("API keys reloaded from %s: %d keys", self._path, len(keys))
        return True

    def authenticate(self, key: str) -> Principal | None:
        """The principal holding `key`, comparing against every key so timing reveals nothing."""
        self.refresh()
        presented = _digest(key)
        found: Principal | None = None
        for digest, principal in self._keys:
            if hmac.compare_digest(presented, digest):
                found = principal
        return found

    @classmethod
    def from_file(cls, path: Path | None) -> KeyRing:
        return cls([]) if path is None else cls(load_entries(path), path)
