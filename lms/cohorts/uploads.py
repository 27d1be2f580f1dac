"""CSV files held between their preview and the trainer's "Import" button.

A clean upload is kept in `instance/uploads/` under a random token, beside a note of the
cohort and the person it was uploaded for. Confirming posts the token, so what is imported is
exactly what was previewed (checked again: accounts may have changed meanwhile), and nobody
else can confirm it. A held file is deleted once used, and any left over after HOLD_FOR.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app

HOLD_FOR = timedelta(hours=2)
TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")


def upload_folder() -> Path:
    return Path(current_app.instance_path) / "uploads"


def hold(data: bytes, *, cohort_id: int, user_id: int, now: datetime) -> str:
    """Keep an upload for its confirmation; return the token that names it."""
    folder = upload_folder()
    folder.mkdir(parents=True, exist_ok=True)
    _sweep(folder)
    token = secrets.token_urlsafe(24)
    (folder / f"{token}.csv").write_bytes(data)
    note = {"cohort": cohort_id, "user": user_id, "held_at": now.isoformat()}
    (folder / f"{token}.json").write_text(json.dumps(note), encoding="utf-8")
    return token


def held(token: str, *, cohort_id: int, user_id: int, now: datetime) -> bytes | None:
    """The upload this token names, if it was held for this cohort and person and has not
    expired; None otherwise."""
    if not TOKEN.fullmatch(token):
        return None
    folder = upload_folder()
    try:
        note = json.loads((folder / f"{token}.json").read_text(encoding="utf-8"))
        data = (folder / f"{token}.csv").read_bytes()
        held_at = datetime.fromisoformat(note["held_at"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if (note.get("cohort"), note.get("user")) != (cohort_id, user_id):
        return None
    if now - held_at > HOLD_FOR:
        release(token)
        return None
    return data


def release(token: str) -> None:
    """Delete a held upload (used, or no longer wanted)."""
    if TOKEN.fullmatch(token):
        for suffix in (".csv", ".json"):
            (upload_folder() / f"{token}{suffix}").unlink(missing_ok=True)


def _sweep(folder: Path) -> None:
    # Previews nobody confirmed: the file's own age is enough to judge them by.
    oldest = time.time() - HOLD_FOR.total_seconds()
    for path in folder.iterdir():
        if path.suffix in (".csv", ".json") and TOKEN.fullmatch(path.stem):
            try:
                if path.stat().st_mtime < oldest:
                    path.unlink(missing_ok=True)
            except OSError:
                continue
