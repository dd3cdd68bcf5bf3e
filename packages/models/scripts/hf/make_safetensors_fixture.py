"""Writes src/hf/__fixtures__/torch-dtypes.safetensors: the same values as F32, F16 and BF16 as
PyTorch rounds them, their float32 images, special values and an I64 `position_ids` buffer.
The TypeScript reader must decode each to torch's float values, and its F16/BF16 encoder must
produce torch's bytes.

  /usr/bin/python3 packages/models/scripts/hf/make_safetensors_fixture.py
"""

import os

import torch

from safetensors_io import load_file, save_file

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', '..', 'src', 'hf', '__fixtures__', 'torch-dtypes.safetensors')

torch.manual_seed(0)
special = torch.tensor([
    0.0, -0.0, 1.0, -2.5, 65504.0, 65520.0, 1e6, -1e6, 6.1e-5, 5.96e-8, 2.98e-8, 1e-8, 3e-38, 1e-45,
    float('inf'), float('-inf'), 1.00048828125, 1.0009765625, 1.00146484375, 3.140625, 0.1, 1 / 3,
    1.00390625, 1.01171875, 1.005859375,  # bfloat16 ties
])
values = torch.cat([special, torch.randn(200) * 3, torch.randn(31) * 1e-5])
x = values.reshape(16, 16)
tensors = {
    'x.f32': x,
    'x.f16': x.half(),
    'x.f16_as_f32': x.half().float(),
    'x.bf16': x.bfloat16(),
    'x.bf16_as_f32': x.bfloat16().float(),
    'empty.f32': torch.zeros(0, 3),
    'scalar.f32': torch.tensor(7.25),
    'embeddings.position_ids': torch.arange(12).reshape(1, 12),
    'mask.bool': torch.tensor([True, False, True]),
    'x.f64': x[:2].double(),
}
save_file(tensors, OUT, {'format': 'pt', 'written_by': 'make_safetensors_fixture.py'})
back = load_file(OUT)
for name, tensor in tensors.items():
    assert torch.equal(back[name].reshape(tensor.shape), tensor) or (tensor.is_floating_point() and torch.allclose(back[name].float(), tensor.float(), equal_nan=True)), name
print(OUT, os.path.getsize(OUT), 'bytes')
