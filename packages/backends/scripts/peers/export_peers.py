#!/usr/bin/python3
"""Exports the peer benchmark's models from PyTorch: ONNX graphs for onnxruntime, and the same
weights, inputs and PyTorch outputs as JSON for heed, so every peer runs identical math and
heed's outputs can be checked against PyTorch's.

Usage: /usr/bin/python3 scripts/peers/export_peers.py OUT_DIR
Writes OUT_DIR/{mha,encoder}.{onnx,json} and OUT_DIR/attention-S{512,1024,4096}.onnx.
"""
import base64
import json
import os
import sys

import torch

from peer_models import ATTENTION_LENGTHS, ENCODER, MHA, AttentionCore, SelfAttention, attention_inputs, encoder_layer, mha_layer


def encode(tensor):
    """float32 tensor -> {shape, base64 little-endian data}."""
    array = tensor.detach().contiguous().float().numpy()
    return {"shape": list(array.shape), "data": base64.b64encode(array.astype("<f4").tobytes()).decode("ascii")}


def export(module, example, name, out_dir, input_names, output_names):
    module.eval()
    with torch.no_grad():
        expected = module(*example)
    torch.onnx.export(
        module, example, os.path.join(out_dir, f"{name}.onnx"),
        input_names=input_names, output_names=output_names, opset_version=14,
    )
    return expected


def main():
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    torch.manual_seed(0)

    mha = mha_layer()
    x = torch.randn(MHA["batch"], MHA["length"], MHA["embed"])
    expected = export(SelfAttention(mha), (x,), "mha", out_dir, ["x"], ["y"])
    weights = {name: encode(value) for name, value in mha.state_dict().items()}
    with open(os.path.join(out_dir, "mha.json"), "w") as file:
        json.dump({"config": MHA, "weights": weights, "input": encode(x), "output": encode(expected)}, file)

    encoder = encoder_layer()
    x = torch.randn(ENCODER["batch"], ENCODER["length"], ENCODER["model"])
    expected = export(encoder, (x,), "encoder", out_dir, ["x"], ["y"])
    weights = {name: encode(value) for name, value in encoder.state_dict().items()}
    with open(os.path.join(out_dir, "encoder.json"), "w") as file:
        json.dump({"config": ENCODER, "weights": weights, "input": encode(x), "output": encode(expected)}, file)

    for length in ATTENTION_LENGTHS:
        export(AttentionCore(), attention_inputs(length), f"attention-S{length}", out_dir, ["query", "key", "value"], ["context"])
    print(f"exported peer models to {out_dir}")


if __name__ == "__main__":
    main()
