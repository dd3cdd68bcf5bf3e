#!/usr/bin/python3
"""Median ms of one nn.TransformerEncoderLayer [B32, S64, D256, H4, FF1024] training step
(forward + backward of sum(output), dropout 0, batch_first) in PyTorch on 2 CPU threads: the peer
that bench/encoder-profile.ts times beside heed in the same run.

Usage: OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 scripts/peers/torch_encoder_step.py REPS
"""
import statistics
import sys
import time

import blas_core  # noqa: F401  (before torch: OpenBLAS runs this CPU's kernels, see blas_core.py)
import torch

torch.set_num_threads(2)
torch.manual_seed(0)
layer = torch.nn.TransformerEncoderLayer(256, 4, 1024, dropout=0.0, batch_first=True)
x = torch.randn(32, 64, 256)
reps = int(sys.argv[1]) if len(sys.argv) > 1 else 5


def step():
    layer.zero_grad(set_to_none=True)
    layer(x).sum().backward()


step()
times = []
for _ in range(reps):
    start = time.perf_counter()
    step()
    times.append((time.perf_counter() - start) * 1000)
print(statistics.median(times))
