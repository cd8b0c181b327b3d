"""What the imitation servers of Bluesky and LinkedIn share: real HTTP on 127.0.0.1, a state
kept under a lock (and in a file, out of process), the requests seen, and faults.

Faults (`kind`): "rate_limit" (429 with the network's reset headers, `reset` in epoch seconds),
"status" (any `status`, e.g. 503), "slow" (does the work, answers after `delay` seconds),
"drop" (does the work, then closes the connection without an answer). `route` is a path where
'*' matches any part; `times` says how many requests the fault takes.

Out of process: `python tests/imitation_<network>.py --port N --state-file F` serves until
killed, keeps its state in F (read back on start), takes faults at POST /_imitation/faults with
the `fail` arguments as JSON and answers GET /_imitation/state with the state.
"""
from __future__ import annotations

import argparse
import fnmatch
import json
import socket
import threading
from dataclasses import asdict, dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit


@dataclass
class Fault:
    method: str
    route: str
    kind: str
    status: int = 503
    reset: int | None = None
    delay: float = 0.0
    times: int = 1


class Answer(Exception):
    """An HTTP answer other than success, raised from deep inside a route."""

    def __init__(self, status: int, body: dict | None, headers: dict | None = None):
        self.status, self.body, self.headers = status, body, headers or {}


@dataclass
class Call:
    """One request as a route sees it."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    body: bytes

    def json(self) -> dict:
        try:
            return json.loads(self.body or b"{}")
        except ValueError:
            raise Answer(400, {"message": "The body is not JSON."}) from None


class Imitation:
    """The server and its state. Subclasses give `route`, `rate_limited`, `server_error`, and
    what their state holds (`state`, `_load`). Thread-safe; a context manager."""

    def __init__(self, *, port: int = 0, state_file: Path | None = None):
        self.state_file = state_file
        self.requests: list[tuple[str, str, dict]] = []
        self.faults: list[Fault] = []
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        if state_file and state_file.exists():
            saved = json.loads(state_file.read_text())
            self.requests = [tuple(entry) for entry in saved.pop("requests", [])]
            self.faults = [Fault(**fault) for fault in saved.pop("faults", [])]
            self._load(saved)
        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
        self._thread: threading.Thread | None = None

    # --- what a network gives -----------------------------------------------------------

    def route(self, call: Call) -> tuple[int, dict | bytes | None, dict]:
        raise NotImplementedError

    def rate_limited(self, fault: Fault) -> Answer:
        raise NotImplementedError

    def server_error(self, status: int) -> Answer:
        raise NotImplementedError

    def state(self) -> dict:
        return {}

    def _load(self, state: dict) -> None:
        pass

    # --- control -------------------------------------------------------------------------

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def fail(self, method: str, route: str, kind: str, **options) -> None:
        with self._lock:
            self.faults.append(Fault(method.upper(), route, kind, **options))
            self._save()

    def requests_to(self, method: str, route: str) -> list[dict]:
        """The query (name -> list of values) of every request that matched `method` and `route`."""
        with self._lock:
            return [q for m, p, q in self.requests if m == method and fnmatch.fnmatch(p, route)]

    def start(self):
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # releases slow answers at once
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _save(self) -> None:
        if self.state_file:
            state = {**self.state(), "requests": self.requests,
                     "faults": [asdict(fault) for fault in self.faults]}
            partial = self.state_file.with_suffix(".partial")
            partial.write_text(json.dumps(state, indent=1))
            partial.replace(self.state_file)

    def _take_fault(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.method == method and fnmatch.fnmatch(path, fault.route):
                    fault.times -= 1
                    if fault.times <= 0:
                        self.faults.remove(fault)
                    self._save()
                    return fault
        return None

    @classmethod
    def main(cls) -> None:
        parser = argparse.ArgumentParser(description=f"An imitation server ({cls.__name__}).")
        parser.add_argument("--port", type=int, default=0)
        parser.add_argument("--state-file", type=Path)
        args = parser.parse_args()
        server = cls(port=args.port, state_file=args.state_file)
        print(server.base, flush=True)  # the caller reads the address (useful with --port 0)
        try:
            server._httpd.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server._httpd.server_close()


def _handler(server: Imitation):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep test output quiet
            pass

        def do_GET(self):
            self._serve("GET")

        def do_POST(self):
            self._serve("POST")

        def do_PUT(self):
            self._serve("PUT")

        def do_DELETE(self):
            self._serve("DELETE")

        def _serve(self, method: str) -> None:
            url = urlsplit(self.path)
            size = int(self.headers.get("Content-Length") or 0)
            call = Call(method, url.path, parse_qs(url.query), {k.lower(): v for k, v in self.headers.items()},
                        self.rfile.read(size) if size else b"")
            if url.path.startswith("/_imitation/"):
                return self._control(call)
            with server._lock:
                server.requests.append((method, url.path, call.query))
                server._save()
            fault = server._take_fault(method, url.path)
            try:
                if fault and fault.kind == "rate_limit":
                    raise server.rate_limited(fault)
                if fault and fault.kind == "status":
                    raise server.server_error(fault.status)
                with server._lock:
                    status, body, headers = server.route(call)
                    server._save()
            except Answer as error:
                return self._send(error.status, error.body, error.headers)
            if fault and fault.kind == "drop":
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            if fault and fault.kind == "slow":
                server._stopping.wait(fault.delay)
            self._send(status, body, headers)

        def _control(self, call: Call) -> None:
            if call.method == "POST" and call.path == "/_imitation/faults":
                server.fail(**call.json())
                return self._send(200, {"faults": len(server.faults)})
            if call.method == "GET" and call.path == "/_imitation/state":
                with server._lock:
                    return self._send(200, {**server.state(), "requests": server.requests})
            self._send(404, {"message": "no such control"})

        def _send(self, status: int, body: dict | bytes | None, headers: dict | None = None) -> None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode() if body is not None else b""
            try:
                self.send_response(status)
                if data and not isinstance(body, bytes):
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test): nothing to answer

    return Handler
