"""NaN propagation through scaled dot-product attention with a boolean mask, from PyTorch 1.13.

Writes src/fused/__fixtures__/attention-nan.json: per case the inputs (NaN as null), the mask or
is_causal, the upstream gradient, and PyTorch's output, dQuery, dKey and dValue from
torch.nn.functional._scaled_dot_product_attention (1.13's SDPA; a bool mask, True = may attend,
becomes an additive 0 / -inf mask, so a NaN score at a masked key still poisons its row, and a
masked weight of exactly 0 still multiplies a NaN value: 0 * NaN = NaN).

No case has a fully masked row (PyTorch gives NaN there, heed gives zeros by contract).

Run: /usr/bin/python3 packages/backends/scripts/attention-nan-fixture.py
"""
import json
import math
import os

import torch
import torch.nn.functional as F

B, H, T, S, D = 2, 1, 3, 4, 4
NAN = float("nan")


def padding_mask(lengths):
    # (B, 1, 1, S) True = may attend
    return torch.tensor([[[[j < n for j in range(S)]]] for n in lengths])


def case(name, poke, mask=None, causal=False, upstream=None):
    g = torch.Generator().manual_seed(len(name))
    q = torch.randn(B, H, T, D, generator=g)
    k = torch.randn(B, H, S, D, generator=g)
    v = torch.randn(B, H, S, D, generator=g)
    d_out = torch.randn(B, H, T, D, generator=g)
    poke(q, k, v, d_out)
    q.requires_grad_()
    k.requires_grad_()
    v.requires_grad_()
    attn_mask = None if mask is None else mask.expand(B, H, T, S)
    out, _ = F._scaled_dot_product_attention(q, k, v, attn_mask, 0.0, False, causal)
    (out * d_out).sum().backward()

    def values(t):
        return [None if math.isnan(x) else x for x in t.detach().flatten().tolist()]

    return {
        "name": name,
        "shape": [B, H, T, S, D],
        "query": values(q),
        "key": values(k),
        "value": values(v),
        "mask": None if mask is None else [bool(x) for x in mask.flatten().tolist()],
        "maskShape": None if mask is None else list(mask.shape),
        "causal": causal,
        "dOutput": values(d_out),
        "output": values(out),
        "dQuery": values(q.grad),
        "dKey": values(k.grad),
        "dValue": values(v.grad),
    }


def at(tensor, *index):
    def poke(q, k, v, d_out):
        {"q": q, "k": k, "v": v, "dO": d_out}[tensor][index] = NAN

    return poke


mask = padding_mask([2, 3])  # batch 0 sees keys 0-1, batch 1 keys 0-2
cases = [
    case("masked key", at("k", 0, 0, 2, 0), mask),
    case("masked value", at("v", 0, 0, 3, 1), mask),
    case("visible key", at("k", 0, 0, 1, 3), mask),
    case("visible value", at("v", 1, 0, 0, 2), mask),
    case("query row", at("q", 0, 0, 1, 0), mask),
    case("future key (causal)", at("k", 0, 0, 2, 1), None, True),
    case("future value (causal)", at("v", 1, 0, 2, 3), None, True),
    case("upstream gradient", at("dO", 0, 0, 1, 2), mask),
    case("clean", lambda *_: None, mask),
]

path = os.path.join(os.path.dirname(__file__), "..", "src", "fused", "__fixtures__", "attention-nan.json")
with open(path, "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases}, f, separators=(",", ":"))
    f.write("\n")
print("wrote", os.path.normpath(path), len(cases), "cases")
