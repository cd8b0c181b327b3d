"""The outbox: each post written as a JSON file under a folder (accord.yaml publisher.outbox_dir).

Needs no credentials and no network: the way to try accord, and a hand-off to jobs that pick
the files up (a newsletter build, a status page). The folder is git-ignored; the ledger is the
record that is committed.
"""
from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Mapping

from .base import Context, Limits, Posted, Rejected, Request

LIMITS = Limits("Outbox")  # no limit: whatever reads the outbox decides
MAX_CHARS = LIMITS.max_chars  # as views/ read it
METRICS = ()  # no network to ask: `accord metrics pull` reads nothing for the outbox


def length(text: str) -> int:
    return len(text)


def connect(account, env: Mapping[str, str], context: Context) -> Outbox:
    return Outbox(context.outbox_dir / account.id)


class Outbox:
    def __init__(self, folder: Path):
        self.folder = folder

    def _file(self, key: str) -> Path:
        # key is "<post id>@<account>#<part>": one file per part, named after the post id
        post, _, part = key.rpartition("#")
        post_id = post.rpartition("@")[0] or post
        return self.folder / f"{post_id.replace('/', '--')}.{part or 0}.json"

    def publish(self, request: Request) -> Posted:
        path = self._file(request.key)
        path.parent.mkdir(parents=True, exist_ok=True)
        at = datetime.now(timezone.utc)
        data = {"key": request.key, "text": request.part.text,
                "media": [{"path": str(m.path), "alt": m.alt} for m in request.part.media],
                "reply_to": request.reply_to, "quote": request.quote, "at": at.isoformat()}
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n", "utf-8")
        try:
            os.link(tmp, path)  # never overwrites: a second post of the same part is refused
        except FileExistsError:
            raise Rejected(f"{path} is already in the outbox") from None
        finally:
            tmp.unlink()
        return Posted(path.stem, path.resolve().as_uri(), at)

    def find(self, request: Request, since: datetime) -> Posted | None:
        path = self._file(request.key)
        try:
            data = json.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            return None
        if data.get("text") != request.part.text:
            return None
        return Posted(path.stem, path.resolve().as_uri(), datetime.fromisoformat(data["at"]))

    def delete(self, post_id: str) -> None:
        (self.folder / f"{post_id}.json").unlink(missing_ok=True)

    def metrics(self, post_ids: Iterable[str]) -> Mapping[str, dict[str, int]]:
        return {}
