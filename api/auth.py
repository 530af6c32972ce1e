"""API keys and principals: who is calling, in which role, with which access groups.

Keys come from the JSON file named by `ADVISOR_API_KEYS_FILE`. Only their SHA-256 digests are
kept in memory, and a presented key is compared against every digest in constant time, so
neither timing nor a memory dump reveals which keys exist.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from store.records import PUBLIC

Role = Literal["admin", "viewer"]
GROUP_PATTERN = r"^[A-Za-z0-9_.-]{1,64}$"


class KeyFileError(RuntimeError):
    """The keys file is missing or malformed; the message names the file and the problem."""


class ApiKeyEntry(BaseModel):
    key: str = Field(min_length=8, description="The secret a client sends as `Authorization: Bearer <key>`.")
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


class KeyRing:
    """The configured keys; empty means the server runs keyless (loopback only)."""

    def __init__(self, entries: list[ApiKeyEntry]) -> None:
        self._keys: list[tuple[bytes, Principal]] = []
        for entry in entries:
            digest = _digest(entry.key)
            principal = Principal(
                name=entry.principal,
                role=entry.role,
                groups=tuple(dict.fromkeys(g.strip() for g in entry.groups if g.strip())),
                key_id=digest.hex()[:12],
            )
            self._keys.append((digest, principal))

    @property
    def enabled(self) -> bool:
        return bool(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def authenticate(self, key: str) -> Principal | None:
        """The principal holding `key`, comparing against every key so timing reveals nothing."""
        presented = _digest(key)
        found: Principal | None = None
        for digest, principal in self._keys:
            if hmac.compare_digest(presented, digest):
                found = principal
        return found

    @classmethod
    def from_file(cls, path: Path | None) -> KeyRing:
        if path is None:
            return cls([])
        try:
            raw = json.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise KeyFileError(f"API keys file {path} does not exist") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise KeyFileError(f"API keys file {path} is not readable JSON: {exc}") from None
        try:
            entries = TypeAdapter(list[ApiKeyEntry]).validate_python(raw)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise KeyFileError(f"API keys file {path}: {where}: {first['msg']}") from None
        keys = [e.key for e in entries]
        if len(set(keys)) != len(keys):
            raise KeyFileError(f"API keys file {path}: the same key appears twice")
        return cls(entries)
