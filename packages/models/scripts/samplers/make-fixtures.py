"""Reference next-token distributions for heed's samplers (src/samplers/__fixtures__/logits-warpers.json).

Hugging Face transformers' TemperatureLogitsWarper, TopKLogitsWarper and TopPLogitsWarper, applied in
that order as `generate(do_sample=True)` does, re-implemented in PyTorch 1.13 from their published
source (transformers/generation/logits_process.py; the package is not installable here), then
log_softmax. Run with /usr/bin/python3 (Debian's python3-torch).
"""
import json
import os

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', '..', 'src', 'samplers', '__fixtures__', 'logits-warpers.json')


def warp(scores, temperature, top_k, top_p):
    scores = scores / temperature  # TemperatureLogitsWarper
    if top_k is not None:  # TopKLogitsWarper (min_tokens_to_keep=1)
        top_k = min(max(top_k, 1), scores.size(-1))
        indices_to_remove = scores < torch.topk(scores, top_k)[0][..., -1, None]
        scores = scores.masked_fill(indices_to_remove, -float('inf'))
    if top_p is not None and top_p < 1.0:  # TopPLogitsWarper (min_tokens_to_keep=1)
        sorted_logits, sorted_indices = torch.sort(scores, descending=False)
        cumulative_probs = sorted_logits.softmax(dim=-1).cumsum(dim=-1)
        sorted_indices_to_remove = cumulative_probs <= (1 - top_p)
        sorted_indices_to_remove[..., -1:] = 0
        indices_to_remove = sorted_indices_to_remove.scatter(1, sorted_indices, sorted_indices_to_remove)
        scores = scores.masked_fill(indices_to_remove, -float('inf'))
    return torch.log_softmax(scores, dim=-1)


def main():
    generator = torch.Generator().manual_seed(0)
    logits = (torch.randn(6, 11, generator=generator, dtype=torch.float64) * 2).float().double()  # float32 values, computed in float64
    settings = [
        {'temperature': 1.0, 'topK': None, 'topP': None},
        {'temperature': 0.5, 'topK': None, 'topP': None},
        {'temperature': 1.7, 'topK': 3, 'topP': None},
        {'temperature': 1.0, 'topK': None, 'topP': 0.9},
        {'temperature': 0.8, 'topK': 5, 'topP': 0.7},
        {'temperature': 1.0, 'topK': 1, 'topP': None},
        {'temperature': 1.0, 'topK': None, 'topP': 0.05},
    ]
    cases = []
    for setting in settings:
        out = warp(logits.clone(), setting['temperature'], setting['topK'], setting['topP'])
        rows = [[None if v == -float('inf') else v for v in row] for row in out.tolist()]
        cases.append({**setting, 'logProbs': rows})
    meta = {'generator': 'packages/models/scripts/samplers/make-fixtures.py', 'torch': torch.__version__}
    with open(OUT, 'w') as f:
        json.dump({'meta': meta, 'logits': logits.tolist(), 'cases': cases}, f, separators=(',', ':'))


if __name__ == '__main__':
    main()
