"""The keys file: entries that could never authenticate are refused at startup by principal name
(never by key), and a changed file is picked up by a running server (rotation without downtime)."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import httpx
import pytest
from api_support import api_env, auth, build_app, live_server, make_settings

GOOD = "rotation-key-old-0123456789abcdef"
NEW = "rotation-key-new-fedcba9876543210"


def write_keys(path: Path, entries: list[dict[str, object]]) -> None:
    """Write and move the mtime on, so a change within one clock tick is still a change."""
    path.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    stamp = path.stat().st_mtime_ns + 10_000_000_000
    os.utime(path, ns=(stamp, stamp))


@pytest.mark.parametrize(
    ("key", "needle"),
    [
        (" padded-key-0123456789abcdef ", "surrounding whitespace"),
        ("schlüssel-0123456789abcdef", "printable ASCII"),
        ("密钥密钥密钥密钥密钥密钥密钥密钥", "printable ASCII"),
        ("tab\tinside-0123456789abcdef", "printable ASCII"),
        ("short-key", "9 characters"),
    ],
)
def test_unusable_keys_are_refused_naming_the_principal(tmp_path: Path, key: str, needle: str) -> None:
    from api.auth import KeyFileError
    from server import create_app

    keys_file = tmp_path / "keys.json"
    entries = [{"key": GOOD, "principal": "ok-user"}, {"key": key, "principal": "hana"}]
    keys_file.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(KeyFileError, match=needle) as raised:
        create_app(make_settings(tmp_path, api_keys_file=keys_file), store=api_env().store)
    message = str(raised.value)
    assert "entry 1 (principal 'hana')" in message
    assert key.strip() not in message and GOOD not in message


def test_duplicates_and_conflicts_are_refused(tmp_path: Path) -> None:
    from api.auth import KeyFileError, load_entries

    keys_file = tmp_path / "keys.json"
    write_keys(keys_file, [{"key": GOOD, "principal": "a"}, {"key": GOOD, "principal": "b"}])
    with pytest.raises(KeyFileError, match=r"entry 1 \(principal 'b'\): the same key as entry 0") as raised:
        load_entries(keys_file)
    assert GOOD not in str(raised.value)
    conflicting = [
        {"key": GOOD, "principal": "a", "role": "viewer"},
        {"key": NEW, "principal": "a", "role": "admin"},
    ]
    write_keys(keys_file, conflicting)
    with pytest.raises(KeyFileError, match="different role or groups"):
        load_entries(keys_file)
    write_keys(keys_file, [])
    with pytest.raises(KeyFileError, match="non-empty"):
        load_entries(keys_file)


def test_short_keys_load_with_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from api.auth import load_entries

    keys_file = tmp_path / "keys.json"
    write_keys(keys_file, [{"key": "seventeen-chars-k", "principal": "brief"}])
    with caplog.at_level(logging.WARNING, logger="advisor.server"):
        assert len(load_entries(keys_file)) == 1
    assert "'brief'" in caplog.text and "seventeen-chars-k" not in caplog.text


def test_keys_rotate_without_a_restart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from api.auth import KeyRing

    monkeypatch.setattr(KeyRing, "recheck_s", 0.0)
    keys_file = tmp_path / "keys.json"
    old = {"key": GOOD, "principal": "rita", "role": "viewer"}
    write_keys(keys_file, [old])
    with live_server(build_app(api_keys_file=keys_file)) as url, httpx.Client(base_url=url) as client:
        assert client.get("/v1/threads", headers=auth(GOOD)).status_code == 200
        assert client.get("/v1/threads", headers=auth(NEW)).status_code == 401

        write_keys(keys_file, [old, old | {"key": NEW}])  # step 1: both keys work
        assert client.get("/v1/threads", headers=auth(NEW)).status_code == 200
        assert client.get("/v1/threads", headers=auth(GOOD)).status_code == 200

        write_keys(keys_file, [old | {"key": NEW}])  # step 2: the old key is gone
        assert client.get("/v1/threads", headers=auth(GOOD)).status_code == 401
        assert client.get("/v1/threads", headers=auth(NEW)).status_code == 200

        for bad in ("[{broken", json.dumps([{"key": " spaced-0123456789abcdef", "principal": "x"}])):
            keys_file.write_text(bad, encoding="utf-8")  # a bad edit keeps the last good keys
            os.utime(keys_file, ns=(keys_file.stat().st_mtime_ns + 10**10,) * 2)
            assert client.get("/v1/threads", headers=auth(NEW)).status_code == 200
