"""Per-record work on every core: parsing record files and rendering their pages.

Workers are forked, so they start with the parent's memory (the parsed records, the index)
without copying or pickling it; only each task's small description goes to them and its
result comes back. Without `fork` (or with one worker, or little work) everything runs in
this process, with the same results in the same order.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

_task: Callable | None = None
"""The function the forked workers run (inherited through fork, never pickled)."""


def cpu_count() -> int:
    """Cores this process may run on (the default number of workers)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _run(item):
    return _task(item)


def _worker_start() -> None:
    # The pool ends its workers with SIGTERM (always: leaving `with Pool` terminates it). A worker
    # forked from a process with a SIGTERM handler of its own (serve's, which raises
    # KeyboardInterrupt; a test runner's) would otherwise run that handler instead of ending:
    # serve printed a worker's KeyboardInterrupt traceback, and under mutmut the handler killed
    # the other mutant being tested.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def fork_map(func: Callable[[T], R], items: Sequence[T], workers: int) -> list[R]:
    """`[func(item) for item in items]`, on up to `workers` forked processes.

    `func` may be a closure: workers inherit it. Items and results are pickled, so keep items
    small (ids, paths) and let `func` find the rest in memory. Give more items than workers
    (a few per worker) so that a slow item does not leave the other cores idle.
    """
    if workers <= 1 or len(items) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [func(item) for item in items]
    global _task
    _task = func
    # Objects the workers inherit are only read; a garbage collection would still write to each
    # one's header, copying every page of the parent's memory into each worker (fork copies on
    # write). Frozen objects are left out of collections.
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(min(workers, len(items)), _worker_start) as pool:
            return pool.map(_run, items, chunksize=1)
    finally:
        _task = None
        gc.unfreeze()


def deal(items: Sequence[T], parts: int) -> list[Sequence[T]]:
    """`items` dealt round-robin into at most `parts` shares (none empty, each in order), so
    that costly items bunched together (one kind's records) are spread over the workers."""
    parts = max(1, min(parts, len(items)))
    return [items[i::parts] for i in range(parts)]


def load_pickle(file):
    """pickle.load without garbage collections: unpickling many small objects would otherwise set
    off collections of this whole process's heap (a 1 MB result took 0.13 s instead of 6 ms)."""
    import pickle
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.load(file)
    finally:
        if enabled:
            gc.enable()


class Background:
    """`func()` running in a forked child while this process goes on (or, without fork, run
    when its result is asked for). Its result, or the exception it raised, comes back through
    a temporary file, pickled. `nice`: how much lower the child's priority is."""

    def __init__(self, func: Callable[[], R], nice: int = 0):
        self.func = func
        self.pid: int | None = None
        if "fork" not in multiprocessing.get_all_start_methods():
            return
        import tempfile
        self.file = tempfile.TemporaryFile()
        self.pid = os.fork()
        if self.pid == 0:  # the child: run, save, exit at once (no cleanup of the parent's state)
            code = 1
            gc.disable()  # the child lives briefly and frees nothing: collections only cost time
            try:
                if nice:  # run on what the parent's work leaves free
                    os.nice(nice)
                import pickle
                try:
                    outcome = (True, func())
                except Exception as exc:  # handed to the parent, which raises it
                    outcome = (False, exc)
                pickle.dump(outcome, self.file, protocol=pickle.HIGHEST_PROTOCOL)
                self.file.flush()
                code = 0
            finally:
                os._exit(code)

    def result(self) -> R:
        """What `func()` returned (waiting for the child); raises what it raised."""
        if self.pid is None:
            return self.func()
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        if os.waitstatus_to_exitcode(status) != 0:
            self.file.close()
            return self.func()  # the child died (killed, out of memory): do the work here instead
        self.file.seek(0)
        ok, value = load_pickle(self.file)
        self.file.close()
        if not ok:
            raise value
        return value

    def close(self) -> None:
        """Stop the child if its result is not wanted."""
        if self.pid is not None:
            try:
                os.kill(self.pid, 9)
            except ProcessLookupError:
                pass
            os.waitpid(self.pid, 0)
            self.pid = None
            self.file.close()
