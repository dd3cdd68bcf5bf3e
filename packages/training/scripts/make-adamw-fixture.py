#!/usr/bin/python3
"""Writes src/__fixtures__/adamw-linear-warmup.json: PyTorch 1.13's reference for Hugging Face's
fine-tuning optimizer on a small problem, for @heed/training's adamw / linearScheduleWithWarmup /
clipNorm test.

The problem: a dense(6→5) → LayerNorm(5) → tanh → classifier(5→3) network with parameter names as in
a Hugging Face model, cross-entropy on 8 fixed examples. The optimizer is built as transformers'
Trainer builds it: two parameter groups from `get_parameter_names(model, [nn.LayerNorm])` minus
names containing "bias" (decay 0.01) and the rest (decay 0); torch.optim.AdamW(lr, betas=(0.9,
0.999), eps=1e-8); the schedule is transformers' get_linear_schedule_with_warmup (LambdaLR with
its lambda, written out below); each step clips with torch.nn.utils.clip_grad_norm_(1.0).

    /usr/bin/python3 packages/training/scripts/make-adamw-fixture.py
"""
import json
import os

import torch
from torch import nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src', '__fixtures__', 'adamw-linear-warmup.json')
PEAK, WARMUP, TOTAL, WEIGHT_DECAY, MAX_NORM = 0.05, 3, 12, 0.01, 1.0


class Tiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.dense = nn.Linear(6, 5)
        self.LayerNorm = nn.LayerNorm(5, eps=1e-12)
        self.classifier = nn.Linear(5, 3)

    def forward(self, x):
        return self.classifier(torch.tanh(self.LayerNorm(self.dense(x))))


def get_parameter_names(model, forbidden_layer_types):
    """transformers.trainer_pt_utils.get_parameter_names: names of the parameters not inside forbidden layers."""
    result = []
    for name, child in model.named_children():
        result += [f'{name}.{n}' for n in get_parameter_names(child, forbidden_layer_types) if not isinstance(child, tuple(forbidden_layer_types))]
    result += list(model._parameters.keys())
    return result


def get_linear_schedule_with_warmup(optimizer, num_warmup_steps, num_training_steps):
    """transformers.optimization.get_linear_schedule_with_warmup."""
    def lr_lambda(current_step):
        if current_step < num_warmup_steps:
            return float(current_step) / float(max(1, num_warmup_steps))
        return max(0.0, float(num_training_steps - current_step) / float(max(1, num_training_steps - num_warmup_steps)))
    return torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda)


def values(tensor):
    return [float(v) for v in tensor.detach().flatten().tolist()]


def main():
    torch.manual_seed(23)
    model = Tiny()
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.copy_(2 * torch.randn_like(parameter))
    x = 4 * torch.randn(8, 6)
    y = torch.tensor([0, 1, 2, 0, 1, 2, 2, 1])
    initial = {name: {'shape': list(p.shape), 'data': values(p)} for name, p in model.named_parameters()}

    decay = [name for name in get_parameter_names(model, [nn.LayerNorm]) if 'bias' not in name]
    groups = [
        {'params': [p for n, p in model.named_parameters() if n in decay], 'weight_decay': WEIGHT_DECAY},
        {'params': [p for n, p in model.named_parameters() if n not in decay], 'weight_decay': 0.0},
    ]
    optimizer = torch.optim.AdamW(groups, lr=PEAK, betas=(0.9, 0.999), eps=1e-8)
    scheduler = get_linear_schedule_with_warmup(optimizer, WARMUP, TOTAL)
    steps = []
    for _ in range(TOTAL):
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        norm = torch.nn.utils.clip_grad_norm_(model.parameters(), MAX_NORM)
        learning_rate = optimizer.param_groups[0]['lr']
        optimizer.step()
        scheduler.step()
        steps.append({'loss': loss.item(), 'gradientNorm': norm.item(), 'learningRate': learning_rate})
    final = {name: values(p) for name, p in model.named_parameters()}
    fixture = {
        'torch': torch.__version__,
        'settings': {'peakLearningRate': PEAK, 'warmupSteps': WARMUP, 'totalSteps': TOTAL, 'weightDecay': WEIGHT_DECAY, 'maxNorm': MAX_NORM},
        'decayed': decay,
        'x': x.tolist(),
        'y': y.tolist(),
        'initial': initial,
        'steps': steps,
        'final': final,
    }
    with open(OUT, 'w') as out:
        json.dump(fixture, out, indent=1)
        out.write('\n')
    print(f'wrote {OUT}: decayed {decay}; losses {steps[0]["loss"]:.4f} -> {steps[-1]["loss"]:.4f}; norms {[round(s["gradientNorm"], 3) for s in steps]}')


if __name__ == '__main__':
    main()
