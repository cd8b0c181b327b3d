"""The networks the contract tests (tests/platforms/test_contract.py, tests/publisher/
test_contract.py) and the publisher's exactly-once tests run against: one small record each.

    Network(name, imitation, credentials, handle, create, find, delete, likes, settings="", threads=True)

- `name`: the platform as account files name it; the test account is `brand-<name>` with
  `credentials_env: BRAND_<NAME>`, owned by the team `brand`.
- `imitation`: the imitation server's class (tests/imitation.py's surface: .base, .posts,
  .fail(method, route, kind, **options), .requests_to(method, route), a context manager). Its
  module is also its out-of-process script: `python tests/imitation_<name>.py --port 0
  --state-file F` prints its base URL; `apart(state_file)` runs it so, with the same surface.
- `credentials`: the environment a run needs, given the credentials_env prefix.
- `handle`: the account's handle in its account file.
- `create`: (method, route) of the request that makes a post, to count every attempt.
- `find`: (method, route) of the request reconciliation asks whether a post exists with.
- `delete`: (method, route) of the request that deletes a post.
- `likes`: where a post of the imitation (one of `.posts`) keeps its like count, as keys.
- `settings`: more lines of the account file, where the network needs them (LinkedIn's author).
- `threads`: whether the network takes a thread (LinkedIn does not: its batch has none).

`account(base)` is the account file for a server at `base`, `model_account(base)` the account as
the model gives it to an adapter. Register a network by adding its
record to NETWORKS; every test parametrised over NETWORKS then runs on it.
"""
from __future__ import annotations

import fnmatch
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Callable

import imitation_mastodon
import imitation_bluesky
import imitation_linkedin
import imitation_x
import requests
import yaml
from imitation import Imitation


@dataclass(frozen=True)
class Network:
    name: str
    imitation: type[Imitation]
    credentials: Callable[[str], dict[str, str]]
    handle: str
    create: tuple[str, str]
    find: tuple[str, str]
    delete: tuple[str, str]
    likes: tuple[str, ...]
    settings: str = ""
    threads: bool = True

    @property
    def account_id(self) -> str:
        return f"brand-{self.name}"

    @property
    def prefix(self) -> str:
        return f"BRAND_{self.name.upper()}"

    def account(self, base: str) -> str:
        return (f"platform: {self.name}\nhandle: {self.handle!r}\ncredentials_env: {self.prefix}\n"
                f"api_base: {base}\n{self.settings}")

    def set_likes(self, made: dict, likes: int) -> None:
        """Gives a post of the imitation (one of `.posts`) this many likes."""
        *within, name = self.likes
        for key in within:
            made = made[key]
        made[name] = likes

    def model_account(self, base: str) -> SimpleNamespace:
        """The account as the model gives it to the adapter (its settings too), pointed at `base`."""
        return SimpleNamespace(id=self.account_id, platform=self.name, handle=self.handle, api_base=base,
                               credentials_env=self.prefix, **(yaml.safe_load(self.settings) or {}))

    def env(self) -> dict[str, str]:
        return self.credentials(self.prefix)

    def serve(self) -> Imitation:
        """The imitation in this process (use it as a context manager)."""
        return self.imitation()

    def apart(self, state_file: Path) -> Apart:
        """The imitation in a process of its own (use it as a context manager)."""
        return Apart(self, state_file)


class Apart:
    """An imitation server in its own process, with the in-process surface over its control routes."""

    def __init__(self, network: Network, state_file: Path):
        script = sys.modules[network.imitation.__module__].__file__
        self._process = subprocess.Popen([sys.executable, script, "--port", "0", "--state-file", str(state_file)],
                                         stdout=subprocess.PIPE, text=True)
        self.base = self._process.stdout.readline().strip()

    @property
    def posts(self) -> list[dict]:
        return self._state()["posts"]

    def requests_to(self, method: str, route: str) -> list[dict]:
        return [q for m, p, q in self._state()["requests"] if m == method and fnmatch.fnmatch(p, route)]

    def fail(self, method: str, route: str, kind: str, **options) -> None:
        requests.post(f"{self.base}/_imitation/faults", timeout=5,
                      json={"method": method, "route": route, "kind": kind, **options}).raise_for_status()

    def _state(self) -> dict:
        return requests.get(f"{self.base}/_imitation/state", timeout=5).json()

    def __enter__(self) -> Apart:
        return self

    def __exit__(self, *exc) -> None:
        self._process.terminate()
        self._process.wait(timeout=5)


def named(name: str) -> Network:
    return next(network for network in NETWORKS if network.name == name)


NETWORKS = (
    Network("x", imitation_x.ImitationX, imitation_x.env, "@brand", ("POST", "/2/tweets"),
            ("GET", "/2/users/*/tweets"), ("DELETE", "/2/tweets/*"), ("public_metrics", "like_count")),
    Network("mastodon", imitation_mastodon.ImitationMastodon, imitation_mastodon.env,
            "@brand@127.0.0.1", ("POST", "/api/v1/statuses"), ("GET", "/api/v1/accounts/*/statuses"),
            ("DELETE", "/api/v1/statuses/*"), ("favourites_count",)),
    Network("bluesky", imitation_bluesky.ImitationBluesky, imitation_bluesky.env, imitation_bluesky.HANDLE,
            ("POST", "/xrpc/com.atproto.repo.createRecord"), ("GET", "/xrpc/com.atproto.repo.getRecord"),
            ("POST", "/xrpc/com.atproto.repo.deleteRecord"), ("likeCount",)),
    Network("linkedin", imitation_linkedin.ImitationLinkedIn, imitation_linkedin.env, "kestrel-cloud",
            ("POST", "/rest/posts"), ("GET", "/rest/posts"), ("DELETE", "/rest/posts/*"), ("statistics", "likeCount"),
            settings=f"author: {imitation_linkedin.ORGANIZATION}\n", threads=False),
)
