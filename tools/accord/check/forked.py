"""Work done in a forked copy of this process, on the machine's other core, its result read back
through a pipe. Loading (parsing half the files) and checking (some rule families) use it on
large repositories; what comes back is bytes the caller marshalled.

A child can also stay on after its first piece of work and take more, sent as a function's name
and marshalled arguments: `accord check` forks its parser child while the process is small and
hands it the duplicates sweep later. Forking the process once it holds the whole model would
cost both copies a page fault for every page either one writes to (every object whose reference
count changes), tens of thousands at 10k posts."""
from __future__ import annotations

import marshal
import os
import signal
import struct
import threading
from importlib import import_module
from types import GeneratorType

FROM = 500  # files or posts: below this, forking a large process costs more than it saves

_SIZE = struct.Struct("<Q")  # each message: its length, then its bytes
# Work sent to a child is mostly text (posts, files): marshal's version 2 writes each string
# without looking it up among those written before, a third quicker for these.
_TEXTS = 2
_PIPE_SIZE = 1 << 20  # Linux's largest for an unprivileged process: megabytes pass in fewer turns


def worth_it(size: int) -> bool:
    """Whether to fork for `size` items: a second core to run on, fork itself, and this being the
    process's one thread (a fork copies only this thread: the child could wait forever on a lock
    another one held)."""
    return (size >= FROM and hasattr(os, "fork") and _cores() > 1 and threading.active_count() == 1)


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class Forked:
    """`work()` (bytes) run in a forked copy of this process. `result()` gives what it sent, or
    None when it failed in any way, so the caller can do the work itself.

    With `serve`, the child then waits for more: `ask(module, function, *args)` has it run that
    function of that module on those (marshallable) arguments and `answer()` gives the value
    (marshalled back; a generator's values one answer each), or None when the child failed;
    `close()` lets it end."""

    def __init__(self, work, serve: bool = False):
        _reap()
        answers, answer_end = _pipe()
        requests, request_end = _pipe() if serve else (None, None)
        try:
            pid = os.fork()
        except OSError:  # (a process limit): nothing of this is left open
            for fd in (answers, answer_end, requests, request_end):
                if fd is not None:
                    os.close(fd)
            raise
        if pid == 0:  # the child: never returns, never runs the parent's exit handlers
            code = 1
            try:
                os.close(answers)
                if serve:
                    os.close(request_end)
                # It says nothing: holding this process's output open would keep a reader of it
                # (a pipe, a test runner) waiting for the child to free its memory and end.
                quiet = os.open(os.devnull, os.O_RDWR)
                for fd in (0, 1, 2):
                    os.dup2(quiet, fd)
                os.close(quiet)
                out = os.fdopen(answer_end, "wb")
                _send(out, work())
                if serve:
                    _serve(os.fdopen(requests, "rb"), out)
                out.close()
                code = 0
            finally:
                os._exit(code)
        os.close(answer_end)
        if serve:
            os.close(requests)
        self.pid = pid
        self.answers = os.fdopen(answers, "rb")
        self.requests = os.fdopen(request_end, "wb") if serve else None
        self.serves, self.ended, self.ok = serve, False, False
        self.writer: threading.Thread | None = None  # sending the last request

    def result(self) -> bytes | None:
        data = _receive(self.answers)
        if data is None:
            self._end(failed=True)
            return None
        if not self.serves:  # all it had to say, whole (messages carry their length): let it end
            self._end(failed=False, wait=False)
        return data

    def ask(self, module: str, function: str, *args, last: bool = False) -> bool:
        """Send the child one piece of work; False when it is gone (do the work here). `last`:
        nothing more will be asked, so the child ends as soon as it has answered."""
        if not self.serving:
            return False
        data = marshal.dumps((module, function, args), _TEXTS)
        # Written by a thread of its own: the child may be busy with earlier work and read it
        # only later, and more than a pipe holds would hold this process up until then.
        self._written()  # one request after another
        requests = self.requests
        if last:
            self.requests = None

        def write() -> None:
            try:
                _send(requests, data)
                if last:
                    requests.close()
            except OSError:  # it ended: a broken pipe; its answer will say so
                pass

        self.writer = threading.Thread(target=write, daemon=True)
        self.writer.start()
        return True

    def _written(self) -> None:
        """Wait until the last request is in the pipe (or the child is gone)."""
        if self.writer is not None:
            self.writer.join()
            self.writer = None

    def answer(self):
        if self.ended:
            return None
        data = _receive(self.answers)
        if data is None:
            self._end(failed=True)
            return None
        return marshal.loads(data)

    @property
    def serving(self) -> bool:
        return self.requests is not None and not self.ended

    def close(self) -> None:
        """No more work: the child ends once it reads that. It is not waited for: freeing a
        large child's memory takes it tens of milliseconds, which this process need not spend
        idle (it is reaped when the next child is made, or by whoever reaps this process's)."""
        if not self.ended:
            self._end(failed=False, wait=False)

    def stop(self) -> None:
        """The caller failed: end the child and let nothing of it linger."""
        if not self.ended:
            self._end(failed=True)

    def _end(self, failed: bool, wait: bool = True) -> None:
        if failed:  # (gone already, or given up on: a writer may be blocked on it)
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self._written()
        for f in (self.requests, self.answers):
            if f is not None:
                try:
                    f.close()
                except OSError:
                    pass
        if not wait:
            _ENDING.append(self.pid)
            self.ended, self.ok = True, not failed
            return
        _, status = os.waitpid(self.pid, 0)
        self.ended, self.ok = True, status == 0 and not failed


_ENDING: list[int] = []  # children closed and not waited for


def _reap() -> None:
    for pid in list(_ENDING):
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:  # reaped by someone else
            done = pid
        if done:
            _ENDING.remove(pid)


def _pipe() -> tuple[int, int]:
    read, write = os.pipe()
    try:
        import fcntl

        fcntl.fcntl(write, getattr(fcntl, "F_SETPIPE_SZ", 1031), _PIPE_SIZE)
    except (ImportError, OSError):  # not Linux, or a lower limit: the default size works
        pass
    return read, write


def _send(out, data: bytes) -> None:
    out.write(_SIZE.pack(len(data)))
    out.write(data)
    out.flush()


def _receive(pipe) -> bytes | None:
    """The next message, None at the end of the pipe or in the middle of a message."""
    head = pipe.read(_SIZE.size)
    if len(head) < _SIZE.size:
        return None
    size = _SIZE.unpack(head)[0]
    data = pipe.read(size)
    return data if len(data) == size else None


def _serve(requests, out) -> None:
    """Run each request; a function that yields has each value sent as soon as it is made."""
    while (request := _receive(requests)) is not None:
        module, function, args = marshal.loads(request)
        value = getattr(import_module(module), function)(*args)
        for each in value if isinstance(value, GeneratorType) else (value,):
            _send(out, marshal.dumps(each))
