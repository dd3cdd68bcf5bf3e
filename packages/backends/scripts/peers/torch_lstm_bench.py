"""PyTorch peer of bench/lstm-sequence.ts: nn.LSTM forward + backward, median ms per shape.

usage: torch_lstm_bench.py THREADS REPS B,T,U [B,T,U ...]; prints one JSON line {"B,T,U": ms}.
The input projection is outside the timed LSTM in heed's op, so the peer times the same work:
the recurrence over precomputed gate inputs is not separable in nn.LSTM, and it includes the
input GEMM (input size 64), which is small next to the recurrent one here.
"""
import json
import statistics
import sys
import time

import blas_core  # noqa: F401  (before torch: OpenBLAS runs this CPU's kernels, see blas_core.py)
import torch

threads, reps = int(sys.argv[1]), int(sys.argv[2])
torch.set_num_threads(threads)
out = {}
for spec in sys.argv[3:]:
    b, t, u = (int(x) for x in spec.split(","))
    lstm = torch.nn.LSTM(64, u, batch_first=True)
    x = torch.randn(b, t, 64, requires_grad=True)
    times = []
    for i in range(reps + 2):
        start = time.perf_counter()
        y, (h, c) = lstm(x)
        (y.sum() + h.sum() + c.sum()).backward()
        if i >= 2:
            times.append((time.perf_counter() - start) * 1000)
    out[spec] = statistics.median(times)
print(json.dumps(out))
