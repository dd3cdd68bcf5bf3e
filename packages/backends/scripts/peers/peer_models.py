"""The peer benchmark's workloads in PyTorch (shared by export_peers.py and torch_bench.py)."""
import math

import torch
from torch import nn

MHA = {"batch": 8, "length": 128, "embed": 512, "heads": 8}
ENCODER = {"batch": 32, "length": 64, "model": 256, "heads": 4, "feedforward": 1024}
ATTENTION = {"batch": 1, "heads": 8, "depth": 64}
ATTENTION_LENGTHS = [512, 1024, 4096]


def mha_layer():
    return nn.MultiheadAttention(MHA["embed"], MHA["heads"], dropout=0.0, batch_first=True)


def encoder_layer():
    # PyTorch's defaults: post-norm, relu, layer-norm eps 1e-5; dropout off for comparability.
    return nn.TransformerEncoderLayer(
        ENCODER["model"], ENCODER["heads"], ENCODER["feedforward"], dropout=0.0, batch_first=True
    )


class AttentionCore(nn.Module):
    """softmax(Q·Kᵀ/√D)·V on (batch, heads, S, D) inputs: the composite every peer runs."""

    def forward(self, query, key, value):
        scores = torch.matmul(query, key.transpose(-1, -2)) / math.sqrt(query.shape[-1])
        return torch.matmul(torch.softmax(scores, dim=-1), value)


def attention_inputs(length, requires_grad=False):
    shape = (ATTENTION["batch"], ATTENTION["heads"], length, ATTENTION["depth"])
    return tuple(torch.randn(shape, requires_grad=requires_grad) for _ in range(3))


class SelfAttention(nn.Module):
    """nn.MultiheadAttention as self-attention, returning only the context."""

    def __init__(self, mha):
        super().__init__()
        self.mha = mha

    def forward(self, x):
        return self.mha(x, x, x, need_weights=False)[0]
