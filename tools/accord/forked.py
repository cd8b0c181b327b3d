"""Work done in a forked copy of this process, on the machine's other core, its result read back
through a pipe. Loading (parsing half the files) and checking (some rule families) use it on
large repositories; what comes back is bytes the caller marshalled."""
from __future__ import annotations

import os
import threading

FROM = 500  # files or posts: below this, forking a large process costs more than it saves


def worth_it(size: int) -> bool:
    """Whether to fork for `size` items: a second core to run on, fork itself, and this being the
    process's one thread (a fork copies only this thread: the child could wait forever on a lock
    another one held)."""
    return (size >= FROM and hasattr(os, "fork") and _cores() > 1 and threading.active_count() == 1)


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class Forked:
    """`work()` (bytes) run in a forked copy of this process. `result()` gives what it sent, or
    None when it failed in any way, so the caller can do the work itself."""

    def __init__(self, work):
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns, never runs the parent's exit handlers
            code = 1
            try:
                os.close(read)
                data = work()
                with os.fdopen(write, "wb") as out:
                    out.write(data)
                code = 0
            finally:
                os._exit(code)
        os.close(write)
        self.pid, self.pipe = pid, read

    def result(self) -> bytes | None:
        with os.fdopen(self.pipe, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(self.pid, 0)
        return data if status == 0 and data else None

    def stop(self) -> None:
        """The caller failed: end the child and let nothing of it linger."""
        os.close(self.pipe)
        import signal

        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
