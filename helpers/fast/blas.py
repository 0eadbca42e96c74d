"""Matrix products that accumulate into an existing array: BLAS gemm's alpha and beta.

numpy's ``a @ b`` always writes a new result; BLAS computes ``c = alpha * a @ b + beta * c``
in one call, which lets a training step add a weight gradient straight into a momentum
buffer (or into the weights) instead of writing it out and reading it back, and ``axpy``
adds one array to another in one pass. numpy does not expose these, but its wheels carry the
BLAS they use (OpenBLAS): ``gemm`` and ``axpy`` call that very library through ctypes (found
with threadpoolctl), so there is no extra dependency and one thread pool does all products.
Where that library cannot be found (e.g. numpy built on Apple's Accelerate), both fall back to
numpy with the same results and a few more passes over memory; ``BACKEND`` says which is used.
Omits: batched products, complex numbers, strided vectors.
"""

import ctypes

import numpy as np

ROW_MAJOR, NO_TRANS, TRANS = 101, 111, 112  # CBLAS enum values


def _find_cblas():
    """{"sgemm", "dgemm", "saxpy", "daxpy": ctypes functions} of numpy's OpenBLAS, or None."""
    try:
        from threadpoolctl import threadpool_info

        paths = [i["filepath"] for i in threadpool_info()
                 if i.get("internal_api") == "openblas" and "numpy" in i.get("filepath", "")]
        lib = ctypes.CDLL(paths[0]) if paths else None
    except Exception:  # noqa: BLE001 - any failure means "use the numpy fallback"
        return None
    if lib is None:
        return None
    for prefix, suffix, integer in [("scipy_cblas_", "64_", ctypes.c_int64),
                                    ("cblas_", "64_", ctypes.c_int64),
                                    ("scipy_cblas_", "", ctypes.c_int),
                                    ("cblas_", "", ctypes.c_int)]:
        try:
            funcs = {name: getattr(lib, f"{prefix}{name}{suffix}")
                     for name in ("sgemm", "dgemm", "saxpy", "daxpy")}
        except AttributeError:
            continue
        for name, real in [("sgemm", ctypes.c_float), ("dgemm", ctypes.c_double)]:
            funcs[name].restype = None
            funcs[name].argtypes = ([ctypes.c_int] * 3 + [integer] * 3 +
                                    [real, ctypes.c_void_p, integer, ctypes.c_void_p, integer,
                                     real, ctypes.c_void_p, integer])
        for name, real in [("saxpy", ctypes.c_float), ("daxpy", ctypes.c_double)]:
            funcs[name].restype = None
            funcs[name].argtypes = [integer, real, ctypes.c_void_p, integer, ctypes.c_void_p,
                                    integer]
        return funcs
    return None


_CBLAS = _find_cblas()
BACKEND = "numpy's OpenBLAS through ctypes" if _CBLAS else "numpy (no BLAS found)"
_PREFIX = {np.dtype(np.float32): "s", np.dtype(np.float64): "d"}


def _operand(x):
    """(transpose flag, leading dimension) of a C-contiguous array or of the transpose of
    one (Fortran-contiguous); None for other layouts."""
    if x.flags.c_contiguous:
        return NO_TRANS, max(1, x.shape[1])
    if x.flags.f_contiguous:
        return TRANS, max(1, x.shape[0])
    return None


def gemm(alpha, a, b, beta=0.0, out=None, use_blas=True):
    """out = alpha * a @ b + beta * out, in place in ``out``; a new array when out is None.

    a: (N, K), b: (K, M) of one dtype, float32 or float64, each C-contiguous or the
    transpose of a C-contiguous array (like ``x.T`` or ``w.T``); out: a C-contiguous (N, M)
    array of that dtype. Returns the (N, M) result (``out`` itself when given).
    use_blas=False computes the same with numpy (what happens without a BLAS library).
    """
    n, m = a.shape[0], b.shape[1]
    if a.shape[1] != b.shape[0] or a.dtype != b.dtype or a.dtype not in _PREFIX:
        raise ValueError(f"b: expected a {a.dtype} array with {a.shape[1]} rows for a of "
                         f"shape {a.shape}, got {b.dtype} {b.shape}")
    if out is None:
        out, beta = np.empty((n, m), dtype=a.dtype), 0.0
    elif out.shape != (n, m) or out.dtype != a.dtype or not out.flags.c_contiguous:
        raise ValueError(f"out: expected a C-contiguous {a.dtype} array of shape {(n, m)}, "
                         f"got {out.dtype} {out.shape}")
    ops = (_operand(a), _operand(b))
    if _CBLAS is None or not use_blas or None in ops or out.size == 0 or a.shape[1] == 0:
        product = a @ b
        if alpha != 1.0:
            product *= alpha
        if beta == 0.0:
            out[...] = product
        else:
            out *= beta
            out += product
        return out
    (ta, lda), (tb, ldb) = ops
    _CBLAS[_PREFIX[a.dtype] + "gemm"](ROW_MAJOR, ta, tb, n, m, a.shape[1], alpha,
                                       a.ctypes.data, lda, b.ctypes.data, ldb, beta,
                                       out.ctypes.data, max(1, m))
    return out


def axpy(alpha, x, y, use_blas=True):
    """y += alpha * x in place, in one pass; x, y: C-contiguous arrays of one shape and dtype
    (float32 or float64). Returns y. use_blas=False: the same with numpy."""
    if x.shape != y.shape or x.dtype != y.dtype or y.dtype not in _PREFIX:
        raise ValueError(f"x: expected an array like y ({y.dtype} {y.shape}), got "
                         f"{x.dtype} {x.shape}")
    if _CBLAS is None or not use_blas or not (x.flags.c_contiguous and y.flags.c_contiguous):
        y += alpha * x
        return y
    _CBLAS[_PREFIX[y.dtype] + "axpy"](y.size, alpha, x.ctypes.data, 1, y.ctypes.data, 1)
    return y
