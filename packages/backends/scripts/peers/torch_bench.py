#!/usr/bin/python3
"""Times the peer workloads in PyTorch (CPU, 2 threads) and prints {workload: median ms} as JSON.

Usage: OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 scripts/peers/torch_bench.py OUT_DIR REPS
Loads the weights export_peers.py saved, so PyTorch runs the models heed runs.
"""
import json
import statistics
import sys
import time

import blas_core  # noqa: F401  (before torch: OpenBLAS runs this CPU's kernels, see blas_core.py)
import torch

from peer_models import ATTENTION_LENGTHS, ENCODER, MHA, AttentionCore, SelfAttention, attention_inputs, encoder_layer, mha_layer


def median_ms(run, reps, warmup=1):
    for _ in range(warmup):
        run()
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def forward_only(module, inputs):
    def run():
        with torch.no_grad():
            module(*inputs)
    return run


def forward_backward(module, inputs):
    def run():
        module.zero_grad(set_to_none=True)
        for tensor in inputs:
            tensor.grad = None
        module(*inputs).sum().backward()
    return run


def main():
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    torch.set_num_threads(2)
    torch.manual_seed(0)
    results = {"threads": torch.get_num_threads(), "version": torch.__version__}
    a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
    results["matmul 1024 GFLOP/s"] = 2 * 1024**3 / median_ms(lambda: a @ b, reps) / 1e6

    mha = mha_layer().eval()
    x = torch.randn(MHA["batch"], MHA["length"], MHA["embed"])
    self_attention = SelfAttention(mha)
    results["mha fwd"] = median_ms(forward_only(self_attention, (x,)), reps)
    results["mha fwd+bwd"] = median_ms(forward_backward(self_attention, (x,)), reps)

    encoder = encoder_layer().eval()
    x = torch.randn(ENCODER["batch"], ENCODER["length"], ENCODER["model"])
    results["encoder fwd"] = median_ms(forward_only(encoder, (x,)), reps)
    encoder.train()  # dropout is 0.0, so train mode only enables autograd-friendly paths
    results["encoder fwd+bwd"] = median_ms(forward_backward(encoder, (x,)), reps)

    core = AttentionCore()
    for length in ATTENTION_LENGTHS:
        few = max(1, reps // 2) if length >= 4096 else reps
        results[f"attention S{length} fwd"] = median_ms(forward_only(core, attention_inputs(length)), few)
        results[f"attention S{length} fwd+bwd"] = median_ms(forward_backward(core, attention_inputs(length, True)), few)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
