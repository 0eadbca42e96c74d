"""The glibc malloc setting of the fast path: freed memory is kept for the next step.

Every training step allocates temporaries of a few hundred kB (activations, masks, gradients)
and frees them again. With glibc's default malloc settings, freed blocks of that size are
handed back to the operating system at once and the next step takes them again, page by page:
a page fault for every 4 kB, which with the BLAS's two threads touching the pages costs more
than small matrix products themselves (measured: the 128x10 @ 10x800 product of a
784-800-800-10 network took 0.17 ms instead of 0.04 ms). ``keep_freed_memory`` asks glibc to
keep freed memory for reuse (what the environment variables MALLOC_MMAP_THRESHOLD_ and
MALLOC_TRIM_THRESHOLD_ do), so a training step reuses the same pages.

It runs once per process, when the fast path is first used (a ``FastMLP`` is made); the
plain path never changes it. The price is that up to ``TRIM_THRESHOLD`` bytes of
freed memory stay with the process. Elsewhere (Windows, macOS, musl) it does nothing.
"""

import ctypes
import ctypes.util
import sys

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # mallopt parameters of glibc's malloc.h
MMAP_THRESHOLD = 32 * 2 ** 20  # blocks below this come from the reusable heap (glibc's max)
TRIM_THRESHOLD = 64 * 2 ** 20  # free memory at the heap's top kept before returning it

_state = {"done": None}


def keep_freed_memory():
    """Set glibc's malloc thresholds (once per process); True when they were set (False
    where there is no glibc mallopt)."""
    if _state["done"] is None:
        _state["done"] = _mallopt()
    return _state["done"]


def _mallopt():
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (e.g. musl has no mallopt)
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(
        mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD))
