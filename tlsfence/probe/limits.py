"""How hard ``verify`` may press one target: connections, file descriptors, time.

Kept apart from the enumeration so that the CLI can show and check these without importing asyncio and the
wire code (``tlsfence verify --help`` stays fast).
"""

from __future__ import annotations

#: Simultaneous connections per target: the busiest moment of a server with ~110 suites (~180 hellos on the
#: wire and ~175 connections opened ahead for the next) fits. A server that runs out of connections first
#: closes some without an answer: those are asked again (``Enumerator._recheck``), never read as refusals.
DEFAULT_CONCURRENCY = 512
#: ``--concurrency`` at most.
MAX_CONCURRENCY = 1024
DEFAULT_DEADLINE = 30.0
#: Targets probed at once (``verify`` with several targets, ``--from-state`` and co.).
MAX_PARALLEL_TARGETS = 8


def fd_budget(parallel: int = MAX_PARALLEL_TARGETS) -> int:
    """Connections one target may hold so that ``parallel`` targets probed at once stay inside the process's
    file-descriptor limit (a soft limit of 1024 is common: then 120 each), at least 16."""
    try:
        import resource

        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    except (ImportError, OSError, ValueError):  # not POSIX: no limit known
        return 1 << 16
    if soft == resource.RLIM_INFINITY:
        return 1 << 16
    return max(16, (soft - 64) // parallel)


def raise_fd_limit(wanted: int) -> int:
    """Raise this process's soft file-descriptor limit towards ``wanted`` (never above the hard limit, never
    down); returns the soft limit now. For the CLI: a soft limit of 1024 (256 on macOS) would cap each target
    at a fraction of ``DEFAULT_CONCURRENCY`` through :func:`fd_budget`. A library caller keeps its own limit."""
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft != resource.RLIM_INFINITY and soft < wanted:
            target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
            if target > soft:
                resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        return resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    except (ImportError, OSError, ValueError):  # not POSIX, or not allowed: the limit stays as it is
        return -1
