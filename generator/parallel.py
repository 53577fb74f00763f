"""Per-record work on every core: parsing record files and rendering their pages.

Workers are forked, so they start with the parent's memory (the parsed records, the index)
without copying or pickling it; the parent works too, each process taking the next item not
yet taken, and the workers' results come back pickled. Without `fork` (or with one worker, or
little work) everything runs in this process, with the same results in the same order.
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


def cpu_count() -> int:
    """Cores this process may run on (the default number of workers)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def fork_map(func: Callable[[T], R], items: Sequence[T], workers: int) -> list[R]:
    """`[func(item) for item in items]`, on up to `workers` processes: this one and forked ones.

    `func` may be a closure: the forked processes inherit it. Results are pickled back, so let
    `func` find what it needs in memory (items are not sent anywhere). Every process takes the
    next item not yet taken, so give more items than workers (a few per worker) and the costly
    ones first: a slow item then does not leave the other cores idle. The first exception an
    item raised (in item order) is raised here; the items of a forked process that died are run
    here instead.
    """
    if workers <= 1 or len(items) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [func(item) for item in items]
    import pickle
    import tempfile
    count = len(items)
    taken = multiprocessing.RawValue("q", 0)  # (shared memory, inherited through fork)
    lock = multiprocessing.Lock()

    def run_items() -> dict[int, tuple[bool, object]]:
        done: dict[int, tuple[bool, object]] = {}
        while True:
            with lock:
                i = taken.value
                taken.value = i + 1
            if i >= count:
                return done
            try:
                done[i] = (True, func(items[i]))
            except Exception as exc:  # noqa: BLE001 - raised in the parent, in item order
                done[i] = (False, exc)
                with lock:
                    taken.value = count  # no more items for anyone: the build stops
                return done

    # Objects the forked processes inherit are only read; a garbage collection would still write
    # to each one's header, copying every page of this process's memory into each of them (fork
    # copies on write). Frozen objects are left out of collections.
    gc.freeze()
    children: list[tuple[int, object]] = []
    try:
        for _ in range(min(workers, count) - 1):
            out = tempfile.TemporaryFile()
            pid = os.fork()
            if pid == 0:  # a forked worker: run items, save the results, exit at once
                code = 1
                try:
                    pickle.dump(run_items(), out, protocol=pickle.HIGHEST_PROTOCOL)
                    out.flush()
                    code = 0
                finally:
                    os._exit(code)
            children.append((pid, out))
        results = run_items()
        while children:
            pid, out = children.pop()
            _, status = os.waitpid(pid, 0)
            if os.waitstatus_to_exitcode(status) == 0:
                out.seek(0)
                results.update(load_pickle(out))
            out.close()
    finally:
        for pid, out in children:  # (only when this process raised: its workers are not waited for)
            _end(pid)
            out.close()
        gc.unfreeze()
    values = []
    for i in range(count):  # (every item before the first that failed was run: items go in order)
        if i not in results:  # taken by a worker that died (killed, out of memory): run here
            values.append(func(items[i]))
            continue
        ok, value = results[i]
        if not ok:
            raise value
        values.append(value)
    return values


def _end(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)


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
