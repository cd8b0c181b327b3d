"""What every imitation network server shares: real HTTP on 127.0.0.1, faults, a request log,
and an out-of-process mode with its state in a file.

A network's imitation subclasses `Imitation` and gives `route` (and `authorize`, `refusal` for the
shape of its error answers, `own_state` / `load_own` for what it keeps). Tests see one surface:

    with ImitationMastodon() as server:
        server.fail("POST", "/api/v1/statuses", "drop")   # route: a path, '*' matches any part
        server.posts                                        # live posts, oldest first, dicts with id and text
        server.requests_to("POST", "/api/v1/statuses")     # the query of every matching request
        server.base                                         # http://127.0.0.1:PORT

Faults (`kind`): "rate_limit" (429 with the network's reset header, `reset` epoch seconds),
"status" (any `status`, e.g. 503, with `detail`), "slow" (does the work, answers after `delay`
seconds), "drop" (does the work, then closes the connection without an answer), and whatever
else a network's `refusal` knows ("duplicate" on X). `times` repeats a fault.

Out of process: `python tests/imitation_<network>.py --port N --state-file F` serves until
killed, keeps its state in F (read back on start), takes faults at POST /_imitation/faults with
the `fail` arguments as JSON and returns its state at GET /_imitation/state (its "posts" are
`.posts`, whatever else a network keeps beside them).
"""
from __future__ import annotations

import argparse
import fnmatch
import json
import socket
import threading
from dataclasses import asdict, dataclass
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit


@dataclass
class Fault:
    method: str
    route: str
    kind: str
    status: int = 503
    reset: int | None = None  # epoch seconds, for rate_limit
    delay: float = 0.0
    detail: str = "Service Unavailable"  # the error text of a "status" fault
    times: int = 1
    after: int = 0  # let this many matching requests through first (a failure mid-way)


class Answer(Exception):
    """An HTTP answer other than success, raised from deep inside a route."""

    def __init__(self, status: int, body, headers: dict | None = None):
        self.status, self.body, self.headers = status, body, headers or {}


@dataclass
class Incoming:
    """One request as a route sees it."""

    method: str
    path: str
    query: dict  # name -> last value; a name ending in [] -> every value
    raw_query: str  # as sent (a signature may cover it)
    body: dict  # JSON, form fields (as query) or multipart parts (files as {filename, type, data})
    headers: dict  # lower-case names
    raw: bytes = b""  # the body as sent (an upload of bytes, as Bluesky's blobs and LinkedIn's images)


class Imitation:
    """The server and its state. Thread-safe; start() / stop() or use it as a context manager."""

    FAULTS = ("rate_limit", "status", "slow", "drop")  # a network adds the refusals it knows

    def __init__(self, *, port: int = 0, state_file: Path | None = None):
        self.state_file = state_file
        self.requests: list[tuple[str, str, dict]] = []
        self.faults: list[Fault] = []
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        if state_file and state_file.exists():
            state = json.loads(state_file.read_text())
            self.requests = [tuple(entry) for entry in state.get("requests", [])]
            self.load_own(state)
        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
        self._thread: threading.Thread | None = None

    # --- what a network gives ---------------------------------------------------------------

    @property
    def posts(self) -> list[dict]:
        raise NotImplementedError

    def route(self, request: Incoming) -> tuple[int, object] | tuple[int, object, dict]:
        raise NotImplementedError

    def authorize(self, request: Incoming) -> None:
        """Raises Answer (401) unless the request carries the accepted credentials."""

    def refusal(self, fault: Fault) -> Answer:
        """The answer of a fault that is an error ("rate_limit", "status", ...)."""
        raise NotImplementedError

    def own_state(self) -> dict:
        return {}

    def load_own(self, state: dict) -> None:
        pass

    # --- control -------------------------------------------------------------------------

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def fail(self, method: str, route: str, kind: str, **options) -> None:
        if kind not in self.FAULTS:
            raise ValueError(f"{type(self).__name__} has no fault {kind!r}: {', '.join(self.FAULTS)}")
        with self._lock:
            self.faults.append(Fault(method.upper(), route, kind, **options))

    def requests_to(self, method: str, route: str) -> list[dict]:
        """The query of every request that matched `method` and `route` (fnmatch)."""
        with self._lock:
            return [q for m, p, q in self.requests if m == method and fnmatch.fnmatch(p, route)]

    def start(self):
        # A short poll interval so that stop() returns at once.
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

    # --- state ---------------------------------------------------------------------------

    def state(self) -> dict:
        with self._lock:
            return {**self.own_state(), "posts": self.posts, "requests": self.requests,
                    "faults": [asdict(fault) for fault in self.faults]}

    def save(self) -> None:
        if self.state_file:
            partial = self.state_file.with_suffix(".partial")
            partial.write_text(json.dumps(self.state(), indent=1))
            partial.replace(self.state_file)

    def _take_fault(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.method == method and fnmatch.fnmatch(path, fault.route):
                    if fault.after > 0:
                        fault.after -= 1
                        return None
                    fault.times -= 1
                    if fault.times <= 0:
                        self.faults.remove(fault)
                    return fault
        return None

    # --- out of process --------------------------------------------------------------------

    @classmethod
    def main(cls, description: str, **options) -> None:
        parser = argparse.ArgumentParser(description=description)
        parser.add_argument("--port", type=int, default=0)
        parser.add_argument("--state-file", type=Path)
        args = parser.parse_args()
        server = cls(port=args.port, state_file=args.state_file, **options)
        print(server.base, flush=True)  # the caller reads the address (useful with --port 0)
        try:
            server._httpd.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server._httpd.server_close()


def _fields(pairs: dict[str, list[str]]) -> dict:
    return {key: values if key.endswith("[]") else values[-1] for key, values in pairs.items()}


def _body(content_type: str, raw: bytes) -> dict:
    if not raw:
        return {}
    if content_type.startswith("application/json"):
        return json.loads(raw)
    if content_type.startswith("application/x-www-form-urlencoded"):
        return _fields(parse_qs(raw.decode("utf-8"), keep_blank_values=True))
    if content_type.startswith("multipart/form-data"):
        message = BytesParser(policy=HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + raw)
        parts = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            filename = part.get_filename()
            data = part.get_payload(decode=True)
            parts[name] = ({"filename": filename, "type": part.get_content_type(), "data": data}
                           if filename is not None else data.decode("utf-8"))
        return parts
    return {}


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
            query = _fields(parse_qs(url.query))
            size = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(size) if size else b""
            if url.path.startswith("/_imitation/"):
                return self._control(method, url.path, json.loads(raw or b"{}"))
            with server._lock:
                server.requests.append((method, url.path, query))
                server.save()
            fault = server._take_fault(method, url.path)
            headers = {name.lower(): value for name, value in self.headers.items()}
            request = Incoming(method, url.path, query, url.query, _body(headers.get("content-type", ""), raw), headers,
                               raw)
            try:
                if fault and fault.kind not in ("slow", "drop"):
                    raise server.refusal(fault)
                server.authorize(request)
                with server._lock:
                    status, answer, *extra = server.route(request)
                    server.save()
            except Answer as error:
                return self._send(error.status, error.body, error.headers)
            if fault and fault.kind == "drop":
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            if fault and fault.kind == "slow":
                server._stopping.wait(fault.delay)
            self._send(status, answer, *extra)

        def _control(self, method: str, path: str, body: dict) -> None:
            if method == "POST" and path == "/_imitation/faults":
                server.fail(**body)
                return self._send(200, {"faults": len(server.faults)})
            if method == "GET" and path == "/_imitation/state":
                return self._send(200, server.state())
            self._send(404, {"detail": "no such control"})

        def _send(self, status: int, body, headers: dict | None = None) -> None:
            data = json.dumps(body).encode() if body is not None else b""
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test): nothing to answer

    return Handler
