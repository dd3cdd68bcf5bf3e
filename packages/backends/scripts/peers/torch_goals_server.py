#!/usr/bin/python3
"""PyTorch 1.13 peer for bench/cpu-goals.ts: stays up and, for each line `NAME` on stdin, runs that
workload once and prints its wall time and its CPU time (all threads) in ms, so heed and PyTorch samples interleave in one run.

Workloads (2 threads, as heed): matmul 1024³; nn.MultiheadAttention [B8,S128,E512,H8] fwd and fwd+bwd;
nn.TransformerEncoderLayer [B32,S64,D256,H4,FF1024] fwd+bwd (dropout 0, batch_first).
Usage: OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 scripts/peers/torch_goals_server.py
"""
import sys
import time

import blas_core  # noqa: F401  (before torch: OpenBLAS runs this CPU's kernels, see blas_core.py)
import torch

from peer_models import ENCODER, MHA, SelfAttention, encoder_layer, mha_layer
from torch_bench import forward_backward, forward_only

torch.set_num_threads(2)
torch.manual_seed(0)
a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
mha = SelfAttention(mha_layer().eval())
mha_x = torch.randn(MHA["batch"], MHA["length"], MHA["embed"])
encoder = encoder_layer().train()
encoder_x = torch.randn(ENCODER["batch"], ENCODER["length"], ENCODER["model"])
RUNS = {
    "matmul": lambda: a @ b,
    "mha fwd": forward_only(mha, (mha_x,)),
    "mha fwd+bwd": forward_backward(mha, (mha_x,)),
    "encoder fwd+bwd": forward_backward(encoder, (encoder_x,)),
}
print(f"ready {torch.__version__} {torch.get_num_threads()} {blas_core.loaded_core()}", flush=True)
for line in sys.stdin:
    run = RUNS[line.strip()]
    start, cpu = time.perf_counter(), time.process_time()
    run()
    print((time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000, flush=True)
