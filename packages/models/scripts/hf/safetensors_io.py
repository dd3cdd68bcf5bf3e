"""safetensors by hand for PyTorch 1.13 (Debian ships no `safetensors` package).

The format: an 8-byte little-endian header length N, N bytes of UTF-8 JSON
`{name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}}` padded with spaces
(the data then starts on an 8-byte boundary), then the little-endian C-order data; offsets are
relative to the data start. F16/BF16 bytes come from `tensor.view(torch.int16)` because numpy has
no bfloat16.
"""

import json
import struct
import sys

import numpy as np
import torch

DTYPES = {
    torch.float32: 'F32', torch.float16: 'F16', torch.bfloat16: 'BF16', torch.float64: 'F64',
    torch.int64: 'I64', torch.int32: 'I32', torch.int16: 'I16', torch.int8: 'I8', torch.uint8: 'U8', torch.bool: 'BOOL',
}
TORCH = {name: dtype for dtype, name in DTYPES.items()}


assert sys.byteorder == 'little', 'safetensors data is little-endian; this helper writes native bytes'


def tensor_bytes(tensor):
    tensor = tensor.detach().contiguous().cpu()
    if tensor.dtype in (torch.float16, torch.bfloat16):
        return tensor.view(torch.int16).numpy().tobytes()
    return tensor.numpy().tobytes()


def save_file(tensors, path, metadata=None):
    """Writes an ordered {name: tensor} dict as one safetensors file."""
    header = {}
    if metadata:
        header['__metadata__'] = dict(metadata)
    chunks = []
    offset = 0
    for name, tensor in tensors.items():
        data = tensor_bytes(tensor)
        header[name] = {'dtype': DTYPES[tensor.dtype], 'shape': list(tensor.shape), 'data_offsets': [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(',', ':'))
    text += ' ' * ((8 - (8 + len(text.encode())) % 8) % 8)
    with open(path, 'wb') as out:
        out.write(struct.pack('<Q', len(text.encode())))
        out.write(text.encode())
        for chunk in chunks:
            out.write(chunk)


def load_file(path):
    """Reads a safetensors file into {name: tensor} (the reader the round-trip checks use)."""
    with open(path, 'rb') as src:
        raw = src.read()
    (length,) = struct.unpack('<Q', raw[:8])
    header = json.loads(raw[8:8 + length])
    header.pop('__metadata__', None)
    base = 8 + length
    out = {}
    for name, info in header.items():
        begin, end = info['data_offsets']
        chunk = raw[base + begin:base + end]
        dtype = TORCH[info['dtype']]
        if dtype in (torch.float16, torch.bfloat16):
            tensor = torch.from_numpy(np.frombuffer(chunk, dtype='<i2').copy()).view(dtype)
        else:
            tensor = torch.from_numpy(np.frombuffer(chunk, dtype=torch.empty(0, dtype=dtype).numpy().dtype).copy())
        out[name] = tensor.reshape(info['shape'])
    return out
