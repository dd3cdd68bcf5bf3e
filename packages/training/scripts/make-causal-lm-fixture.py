#!/usr/bin/python3
"""Writes src/__fixtures__/causal-lm-loss.json: PyTorch 1.13's reference for @heed/training's
causalLmLoss, computed as Hugging Face transformers computes GPT2LMHeadModel's loss when `labels`
are given: `shift_logits = logits[..., :-1, :]`, `shift_labels = labels[..., 1:]`, then
`CrossEntropyLoss()` (ignore_index -100, mean over the counted tokens), and its gradient with
respect to the logits.

Cases: a right-padded batch (-100 on the padding), a batch whose second row is all -100 (it adds no
tokens to the mean), and one labelled only on its last tokens (a prompt masked out).

    /usr/bin/python3 packages/training/scripts/make-causal-lm-fixture.py
"""
import json
import os

import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src', '__fixtures__', 'causal-lm-loss.json')


def hf_causal_lm_loss(logits, labels):
    shift_logits = logits[..., :-1, :].contiguous()
    shift_labels = labels[..., 1:].contiguous()
    return F.cross_entropy(shift_logits.view(-1, shift_logits.size(-1)), shift_labels.view(-1), ignore_index=-100)


def case(name, seed, labels, vocab):
    torch.manual_seed(seed)
    batch, time = len(labels), len(labels[0])
    logits = (2 * torch.randn(batch, time, vocab, dtype=torch.float64)).requires_grad_()
    loss = hf_causal_lm_loss(logits, torch.tensor(labels))
    loss.backward()
    return {'name': name, 'logits': {'shape': [batch, time, vocab], 'data': [round(v, 8) for v in logits.detach().flatten().tolist()]},
            'labels': labels, 'loss': loss.item(), 'gradient': [v for v in logits.grad.flatten().tolist()]}


def main():
    cases = [
        case('right-padded batch', 1, [[3, 1, 4, 1, 5, 9], [2, 6, 5, -100, -100, -100]], 11),
        case('a row that is all -100', 2, [[7, 0, 3, 8, 2], [-100, -100, -100, -100, -100]], 9),
        case('prompt masked out', 3, [[-100, -100, -100, 4, 2, 6, 1]], 8),
    ]
    with open(OUT, 'w') as handle:
        json.dump({'cases': cases}, handle, separators=(',', ':'))
    for c in cases:
        print(c['name'], c['loss'])


if __name__ == '__main__':
    main()
