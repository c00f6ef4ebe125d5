"""Run a function in a forked child process and hand its result back: how ``check`` runs a Pulumi program.

Why a child: under the SDK's mocks a program of N resources leaves an object graph of some 500 objects per
resource (outputs, futures, tasks, the mock monitor's state) that is garbage the moment the run ends, and
almost all of it is cyclic. In the checking process the collector must find it: at 20,000 resources the
collections took 10.6 s of a 42 s run (gen-1 passes over millions of survivors, then one pass over the
2.6 million objects the run left behind), which made the program's cost grow 13.5x for 10x the resources.
A child runs with the collector off and leaves with :func:`os._exit`: its heap goes with the process, in
constant time, and the checking process judges the recorded resources in a small heap. The child also keeps
the program's side effects (``sys.modules``, working directory, environment, the SDK's global settings) out
of the caller's process, and a program that calls ``os._exit`` or dies on a signal is reported, not fatal.

The result crosses a pipe pickled: it must be plain data (``check`` sends wire-encoded registrations).
Where forking is not safe or possible (a process with more than one thread, no ``/proc``, Windows), or
``TLSFENCE_IN_PROCESS=1`` is set, the function runs in the caller's process instead, with the same result.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import sys
import traceback
from collections.abc import Callable
from typing import TypeVar

from tlsfence.errors import TlsfenceError

T = TypeVar("T")

#: Environment switch: run in the calling process (debuggers, profilers, platforms without fork).
IN_PROCESS_ENV = "TLSFENCE_IN_PROCESS"


class ChildError(RuntimeError):
    """The child raised something that is not a tlsfence error (a bug): its type and message, one line."""


class ChildTraceback(Exception):
    """The child's formatted traceback, chained as the cause of a :class:`ChildError` for ``--debug``."""


class ChildExit(TlsfenceError):
    """The child ended without a result (``os._exit``, a signal): ``what`` says how."""


def forking() -> bool:
    """Whether :func:`run_forked` will fork (it runs in-process otherwise).

    Only a process with a single thread forks: POSIX leaves a child of a threaded process only async-signal-
    safe calls, and it is not a theory here (a child forked while a gRPC channel's C threads ran in the parent
    crashed with SIGSEGV). The ``tlsfence`` command has one thread when it runs a program; a
    library caller with threads (a test suite with servers, a gRPC client) gets the in-process run, slower on
    very large programs, same result. Threads are counted by the kernel (``/proc/self/task``: C threads too).
    """
    if not hasattr(os, "fork") or os.environ.get(IN_PROCESS_ENV, "") in ("1", "true", "yes"):
        return False
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:  # no procfs (macOS, BSDs): threads the kernel knows of cannot be counted, so do not fork
        return False


def run_forked(fn: Callable[[], T], *, what: str = "the child") -> T:
    """``fn()`` in a forked child with the collector off; its return value, or its exception re-raised.

    A :class:`~tlsfence.errors.TlsfenceError` (or ``KeyboardInterrupt``/``SystemExit``) raised by ``fn``
    is re-raised as itself; any other exception becomes a :class:`ChildError` whose cause carries the child's
    traceback. A child that exits without answering is a :class:`ChildExit` naming ``what``.
    """
    if not forking():
        return fn()
    _flush()  # text buffered before the fork would otherwise be written twice
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_fd)
        _child(fn, write_fd)
    os.close(write_fd)
    try:
        with os.fdopen(read_fd, "rb") as pipe:
            payload = pipe.read()
    except BaseException:
        _kill(pid)
        raise
    _, status = os.waitpid(pid, 0)
    if not payload:
        if os.WIFSIGNALED(status):
            sig = os.WTERMSIG(status)
            if sig == signal.SIGINT:
                raise KeyboardInterrupt
            raise ChildExit(f"{what} was killed by signal {signal.Signals(sig).name}")
        raise ChildExit(f"{what} exited with status {os.waitstatus_to_exitcode(status)} before it finished")
    try:
        kind, value, text = pickle.loads(payload)
    except Exception:  # cut short (the child died while writing): no result to trust
        raise ChildExit(f"{what} ended before its result was complete (status {status})") from None
    if kind == "ok":
        return value
    if kind == "raise":
        raise value
    raise ChildError(value) from ChildTraceback(text)


def _child(fn: Callable[[], object], write_fd: int) -> None:
    """Run ``fn``, write ``(kind, value, traceback text)`` to the pipe, leave without tearing the heap down."""
    code = 0
    try:
        gc.disable()
        gc.freeze()
        _fresh_event_loop()
        try:
            message = ("ok", fn(), "")
        except (TlsfenceError, KeyboardInterrupt, SystemExit) as e:
            message = ("raise", e, "")
        except BaseException as e:  # a bug in fn: reported by the parent as an internal error
            message = ("error", f"{type(e).__name__}: {e}", traceback.format_exc())
        try:
            data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
            if message[0] == "raise":
                pickle.loads(data)  # an exception class whose arguments do not round-trip fails here, not there
        except Exception as e:  # an exception or result that does not pickle
            data = pickle.dumps(("error", f"{type(e).__name__} sending the result: {e}", traceback.format_exc()))
        with os.fdopen(write_fd, "wb") as pipe:
            pipe.write(data)
        _flush()  # os._exit does not: the program's own output
    except BaseException:
        code = 70
    finally:
        os._exit(code)


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):  # closed or replaced streams
            pass


def _fresh_event_loop() -> None:
    """A new event loop for the child: the parent's (if it ran the SDK before) holds a default executor whose
    worker threads did not survive the fork, so the SDK's ``run_in_executor`` calls would wait forever."""
    asyncio = sys.modules.get("asyncio")
    if asyncio is not None:
        asyncio.set_event_loop(asyncio.new_event_loop())


def _kill(pid: int) -> None:
    """Stop the child and reap it (the caller was interrupted while it ran)."""
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass
