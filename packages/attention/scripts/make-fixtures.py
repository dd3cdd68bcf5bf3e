#!/usr/bin/python3
"""Generates PyTorch parity fixtures for @heed/attention.

Run with Debian's PyTorch (apt-get install -y python3-torch python3-numpy):
    /usr/bin/python3 packages/attention/scripts/make-fixtures.py

Writes src/__fixtures__/multihead-attention.json and src/__fixtures__/transformer-blocks.json.

multihead-attention.json: nn.MultiheadAttention(batch_first=True) cases
(self and cross attention, key padding and causal masks, packed and separate q/k/v projections)
with random float32 weights and inputs, evaluated in float64. Each case stores the PyTorch state
dict ({shape, data}), inputs, masks in PyTorch polarity (True = blocked), the output, per-head
weights (average_attn_weights=False), and the gradients of sum(output * cotangent) with respect
to the inputs and to every weight, the weight gradients already in heed's (Keras) layout:
query/kernel (inDim, heads, headDim), query/bias (heads, headDim), ..., attention_output/kernel
(heads, headDim, outDim), attention_output/bias (outDim,). The layout conversion here is numpy,
independent of the TypeScript code it checks.

transformer-blocks.json: nn.TransformerEncoderLayer / nn.TransformerDecoderLayer (batch_first=True,
dropout 0, post-norm and pre-norm, ReLU, GELU and GELU-tanh (Hugging Face's gelu_new), LayerNorm
eps 1e-5, 1e-12 and 0.1 (large enough that a dropped epsilon shows), causal and padding masks) with outputs, per-head self- and cross-attention
weights (the inputs each nn.MultiheadAttention saw, captured by a forward hook, re-attended with
need_weights=True, average_attn_weights=False) and gradients of sum(output * cotangent) for the
inputs and every weight, weights named as heed's
blocks: self_attention/query/kernel, ..., self_attention_layer_norm/gamma,
feedforward_intermediate_dense/kernel (D, FF), ...
"""
import json
import os

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'src', '__fixtures__')


def tensor_json(t):
    array = t.detach().cpu().numpy()
    return {'shape': list(array.shape), 'data': [float(x) if array.dtype != np.bool_ else bool(x) for x in array.reshape(-1)]}


def float32_normal(generator, *shape, scale=1.0):
    # float32 values, so TypeScript sees exactly the numbers PyTorch used
    return (torch.randn(*shape, generator=generator) * scale).float().double()


def to_keras_kernel(weight, heads):
    """PyTorch Linear weight (heads·headDim, inDim) -> Keras kernel (inDim, heads, headDim)."""
    out_dim, in_dim = weight.shape
    return weight.t().reshape(in_dim, heads, out_dim // heads)


def mha_case(name, seed, batch, query_length, key_length, embed_dim, num_heads, self_attention,
             kdim=None, vdim=None, bias=True, lengths=None, causal=False):
    generator = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    mha = torch.nn.MultiheadAttention(embed_dim, num_heads, bias=bias, batch_first=True, kdim=kdim, vdim=vdim).double()
    with torch.no_grad():
        for parameter in mha.parameters():
            parameter.copy_(float32_normal(generator, *parameter.shape, scale=0.5))
    kdim = kdim or embed_dim
    vdim = vdim or embed_dim
    query = float32_normal(generator, batch, query_length, embed_dim).requires_grad_(True)
    if self_attention:
        key = value = query
    else:
        key = float32_normal(generator, batch, key_length, kdim).requires_grad_(True)
        value = float32_normal(generator, batch, key_length, vdim).requires_grad_(True)
    key_padding_mask = None
    if lengths is not None:
        key_padding_mask = torch.arange(key_length)[None, :] >= torch.tensor(lengths)[:, None]  # True = padding
    attn_mask = torch.triu(torch.ones(query_length, key_length, dtype=torch.bool), diagonal=1) if causal else None
    output, weights = mha(query, key, value, key_padding_mask=key_padding_mask, attn_mask=attn_mask,
                          need_weights=True, average_attn_weights=False)
    cotangent = float32_normal(generator, *output.shape)
    (output * cotangent).sum().backward()

    head_dim = embed_dim // num_heads
    state = {k: tensor_json(v) for k, v in mha.state_dict().items()}
    grads = {'query': tensor_json(query.grad)}
    if not self_attention:
        grads['key'] = tensor_json(key.grad)
        grads['value'] = tensor_json(value.grad)
    if mha._qkv_same_embed_dim:
        q_w, k_w, v_w = mha.in_proj_weight.grad.split(embed_dim)
    else:
        q_w, k_w, v_w = mha.q_proj_weight.grad, mha.k_proj_weight.grad, mha.v_proj_weight.grad
    grads['query/kernel'] = tensor_json(to_keras_kernel(q_w, num_heads))
    grads['key/kernel'] = tensor_json(to_keras_kernel(k_w, num_heads))
    grads['value/kernel'] = tensor_json(to_keras_kernel(v_w, num_heads))
    # out = concat(heads) @ Wo^T + bo: Keras kernel (heads, headDim, outDim) = Wo^T reshaped
    grads['attention_output/kernel'] = tensor_json(mha.out_proj.weight.grad.t().reshape(num_heads, head_dim, embed_dim))
    if bias:
        q_b, k_b, v_b = mha.in_proj_bias.grad.split(embed_dim)
        grads['query/bias'] = tensor_json(q_b.reshape(num_heads, head_dim))
        grads['key/bias'] = tensor_json(k_b.reshape(num_heads, head_dim))
        grads['value/bias'] = tensor_json(v_b.reshape(num_heads, head_dim))
        grads['attention_output/bias'] = tensor_json(mha.out_proj.bias.grad)
    return {
        'name': name,
        'numHeads': num_heads,
        'embedDim': embed_dim,
        'kdim': kdim,
        'vdim': vdim,
        'bias': bias,
        'selfAttention': self_attention,
        'causal': causal,
        'stateDict': state,
        'query': tensor_json(query),
        'key': None if self_attention else tensor_json(key),
        'value': None if self_attention else tensor_json(value),
        'keyPaddingMask': None if key_padding_mask is None else tensor_json(key_padding_mask),
        'attnMask': None if attn_mask is None else tensor_json(attn_mask),
        'cotangent': tensor_json(cotangent),
        'output': tensor_json(output),
        'weights': tensor_json(weights),
        'grads': grads,
    }


def heed_mha_grads(prefix, mha, num_heads, grads):
    """nn.MultiheadAttention parameter gradients -> heed names and Keras layouts."""
    embed_dim = mha.embed_dim
    head_dim = embed_dim // num_heads
    q_w, k_w, v_w = mha.in_proj_weight.grad.split(embed_dim)
    q_b, k_b, v_b = mha.in_proj_bias.grad.split(embed_dim)
    for name, weight, bias in (('query', q_w, q_b), ('key', k_w, k_b), ('value', v_w, v_b)):
        grads[prefix + '/' + name + '/kernel'] = tensor_json(to_keras_kernel(weight, num_heads))
        grads[prefix + '/' + name + '/bias'] = tensor_json(bias.reshape(num_heads, head_dim))
    grads[prefix + '/attention_output/kernel'] = tensor_json(mha.out_proj.weight.grad.t().reshape(num_heads, head_dim, embed_dim))
    grads[prefix + '/attention_output/bias'] = tensor_json(mha.out_proj.bias.grad)


def block_case(name, seed, kind, batch, target_length, source_length, d_model, num_heads, ff, activation, norm_first,
               lengths=None, causal=False, memory_lengths=None, layer_norm_eps=1e-5):
    generator = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    Layer = torch.nn.TransformerEncoderLayer if kind == 'encoder' else torch.nn.TransformerDecoderLayer
    torch_activation = (lambda t: torch.nn.functional.gelu(t, approximate='tanh')) if activation == 'gelu_new' else activation
    layer = Layer(d_model, num_heads, dim_feedforward=ff, dropout=0.0, activation=torch_activation, batch_first=True,
                  norm_first=norm_first, layer_norm_eps=layer_norm_eps).double().eval()
    seen = {}  # the (query, key, value) each attention saw during the forward pass
    layer.self_attn.register_forward_hook(lambda module, args, out: seen.__setitem__('self', args[:3]))
    if kind == 'decoder':
        layer.multihead_attn.register_forward_hook(lambda module, args, out: seen.__setitem__('cross', args[:3]))
    with torch.no_grad():
        for pname, parameter in layer.named_parameters():
            scale = 0.2 if pname.startswith('norm') else 0.5
            base = 1.0 if pname.startswith('norm') and pname.endswith('weight') else 0.0
            parameter.copy_(base + float32_normal(generator, *parameter.shape, scale=scale))
    x = float32_normal(generator, batch, target_length, d_model).requires_grad_(True)
    memory = float32_normal(generator, batch, source_length, d_model).requires_grad_(True) if kind == 'decoder' else None
    padding = None if lengths is None else torch.arange(target_length)[None, :] >= torch.tensor(lengths)[:, None]
    memory_padding = None if memory_lengths is None else torch.arange(source_length)[None, :] >= torch.tensor(memory_lengths)[:, None]
    causal_mask = torch.triu(torch.ones(target_length, target_length, dtype=torch.bool), diagonal=1) if causal else None
    if kind == 'encoder':
        output = layer(x, src_mask=causal_mask, src_key_padding_mask=padding)
    else:
        output = layer(x, memory, tgt_mask=causal_mask, tgt_key_padding_mask=padding, memory_key_padding_mask=memory_padding)
    cotangent = float32_normal(generator, *output.shape)
    (output * cotangent).sum().backward()
    with torch.no_grad():
        def weights_of(module, key, attn_mask, key_padding_mask):
            query, keys, values = seen[key]
            return module(query, keys, values, attn_mask=attn_mask, key_padding_mask=key_padding_mask, need_weights=True,
                          average_attn_weights=False)[1]  # (batch, heads, T, S)
        self_weights = weights_of(layer.self_attn, 'self', causal_mask, padding)
        cross_weights = weights_of(layer.multihead_attn, 'cross', None, memory_padding) if kind == 'decoder' else None

    grads = {'x': tensor_json(x.grad)}
    if memory is not None:
        grads['memory'] = tensor_json(memory.grad)
    heed_mha_grads('self_attention', layer.self_attn, num_heads, grads)
    norms = ['self_attention_layer_norm', 'feedforward_layer_norm']
    if kind == 'decoder':
        heed_mha_grads('cross_attention', layer.multihead_attn, num_heads, grads)
        norms = ['self_attention_layer_norm', 'cross_attention_layer_norm', 'feedforward_layer_norm']
    for index, norm_name in enumerate(norms):
        norm = getattr(layer, 'norm%d' % (index + 1))
        grads[norm_name + '/gamma'] = tensor_json(norm.weight.grad)
        grads[norm_name + '/beta'] = tensor_json(norm.bias.grad)
    grads['feedforward_intermediate_dense/kernel'] = tensor_json(layer.linear1.weight.grad.t())
    grads['feedforward_intermediate_dense/bias'] = tensor_json(layer.linear1.bias.grad)
    grads['feedforward_output_dense/kernel'] = tensor_json(layer.linear2.weight.grad.t())
    grads['feedforward_output_dense/bias'] = tensor_json(layer.linear2.bias.grad)
    return {
        'name': name,
        'kind': kind,
        'numHeads': num_heads,
        'intermediateDim': ff,
        'activation': activation,
        'normFirst': norm_first,
        'layerNormEpsilon': layer_norm_eps,
        'causal': causal,
        'stateDict': {k: tensor_json(v) for k, v in layer.state_dict().items()},
        'x': tensor_json(x),
        'memory': None if memory is None else tensor_json(memory),
        'paddingMask': None if padding is None else tensor_json(padding),
        'memoryPaddingMask': None if memory_padding is None else tensor_json(memory_padding),
        'cotangent': tensor_json(cotangent),
        'output': tensor_json(output),
        'selfAttentionWeights': tensor_json(self_weights),
        'crossAttentionWeights': None if cross_weights is None else tensor_json(cross_weights),
        'grads': grads,
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    cases = [
        mha_case('self attention, no mask', 1, batch=2, query_length=3, key_length=3, embed_dim=8, num_heads=2, self_attention=True),
        mha_case('self attention, causal + key padding', 2, batch=2, query_length=4, key_length=4, embed_dim=8, num_heads=4,
                 self_attention=True, lengths=[4, 2], causal=True),
        mha_case('cross attention, key padding', 3, batch=2, query_length=3, key_length=5, embed_dim=6, num_heads=3,
                 self_attention=False, lengths=[5, 3]),
        mha_case('cross attention, kdim/vdim projections, no bias', 4, batch=1, query_length=2, key_length=3, embed_dim=4,
                 num_heads=2, self_attention=False, kdim=6, vdim=5, bias=False),
    ]
    meta = {'generator': 'packages/attention/scripts/make-fixtures.py', 'torch': torch.__version__, 'dtype': 'float64'}
    with open(os.path.join(OUT, 'multihead-attention.json'), 'w') as f:
        json.dump({'meta': meta, 'cases': cases}, f, separators=(',', ':'))
        f.write('\n')
    blocks = [
        block_case('encoder, post-norm, ReLU, key padding', 11, 'encoder', batch=2, target_length=4, source_length=4,
                   d_model=8, num_heads=2, ff=16, activation='relu', norm_first=False, lengths=[4, 2]),
        block_case('encoder, pre-norm, GELU, causal', 12, 'encoder', batch=2, target_length=3, source_length=3,
                   d_model=8, num_heads=4, ff=12, activation='gelu', norm_first=True, causal=True),
        block_case('decoder, post-norm, ReLU, causal + memory padding', 13, 'decoder', batch=2, target_length=3,
                   source_length=4, d_model=8, num_heads=2, ff=16, activation='relu', norm_first=False, causal=True,
                   memory_lengths=[4, 3]),
        block_case('decoder, pre-norm, GELU, causal + target padding', 14, 'decoder', batch=2, target_length=3,
                   source_length=2, d_model=6, num_heads=3, ff=8, activation='gelu', norm_first=True, causal=True,
                   lengths=[3, 2]),
        block_case('encoder, post-norm, GELU-tanh, eps 1e-12, key padding', 15, 'encoder', batch=2, target_length=4,
                   source_length=4, d_model=8, num_heads=2, ff=16, activation='gelu_new', norm_first=False, lengths=[4, 3],
                   layer_norm_eps=1e-12),
        block_case('decoder, pre-norm, GELU-tanh, eps 0.1, causal + memory padding', 16, 'decoder', batch=2,
                   target_length=4, source_length=3, d_model=8, num_heads=4, ff=12, activation='gelu_new', norm_first=True,
                   causal=True, memory_lengths=[3, 2], layer_norm_eps=0.1),
    ]
    with open(os.path.join(OUT, 'transformer-blocks.json'), 'w') as f:
        json.dump({'meta': meta, 'cases': blocks}, f, separators=(',', ':'))
        f.write('\n')


if __name__ == '__main__':
    main()
