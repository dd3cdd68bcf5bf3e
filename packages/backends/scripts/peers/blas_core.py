"""Imported before `import torch` by every timing peer here: makes OpenBLAS run the kernels of this CPU.

Debian's PyTorch 1.13 does its float32 GEMMs in OpenBLAS (libblas.so.3 → openblas-pthread 0.3.21),
which picks its kernels from the CPU model. A model newer than the library (this machine's Intel
Xeon, family 6 model 207) falls back to its generic "Prescott" (SSE3) kernels: matmul 1024³ then
takes ~68 ms of CPU on one thread instead of ~16 ms with the SkylakeX (AVX-512) ones, so every
PyTorch time here was ~4x too slow and heed looked faster than it is. When OPENBLAS_CORETYPE is
unset and OpenBLAS reports the fallback on a CPU that has what its kernels need (AVX-512 F/BW/DQ/VL
for SkylakeX, else AVX2 + FMA for Haswell), this sets OPENBLAS_CORETYPE, which OpenBLAS reads when
torch loads it. `CORE` says which kernels run (printed by the peers, quoted in BENCHMARKS.md).
"""
import ctypes
import os
import subprocess
import sys

_PROBE = "import ctypes; b = ctypes.CDLL('libblas.so.3'); b.openblas_get_corename.restype = ctypes.c_char_p; print(b.openblas_get_corename().decode())"


def _cpu_flags():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def _detected_core():
    """OpenBLAS' own choice, probed in a child process (loading it here would fix the choice now)."""
    try:
        return subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, timeout=30, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None  # not OpenBLAS (MKL, a reference BLAS): nothing to fix


def _choose():
    if "OPENBLAS_CORETYPE" in os.environ:
        return os.environ["OPENBLAS_CORETYPE"] or "auto"
    detected = _detected_core()
    if detected != "Prescott":
        return detected or "not OpenBLAS"
    flags = _cpu_flags()
    if {"avx512f", "avx512bw", "avx512dq", "avx512vl"} <= flags:
        os.environ["OPENBLAS_CORETYPE"] = "SkylakeX"
    elif {"avx2", "fma"} <= flags:
        os.environ["OPENBLAS_CORETYPE"] = "Haswell"
    else:
        return detected
    return f"{os.environ['OPENBLAS_CORETYPE']} (OpenBLAS detected {detected}: unknown CPU model)"


CORE = _choose()


def loaded_core():
    """The kernels OpenBLAS runs in this process (after torch loaded it), or None."""
    try:
        blas = ctypes.CDLL("libblas.so.3")
        blas.openblas_get_corename.restype = ctypes.c_char_p
        return blas.openblas_get_corename().decode()
    except (OSError, AttributeError):
        return None
