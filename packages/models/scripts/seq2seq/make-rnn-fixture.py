#!/usr/bin/python3
"""Generates the PyTorch parity fixture of heed's RNN Seq2Seq (luong-general, 1 and 2 encoder layers).

Run with Debian's PyTorch (apt-get install -y python3-torch python3-numpy):
    /usr/bin/python3 packages/models/scripts/seq2seq/make-rnn-fixture.py

Writes src/seq2seq/__fixtures__/rnn-torch.json. The reference model is torch_g2p.py's G2P, the PyTorch
peer that RESULTS.md compares heed with: a packed (multi-layer) bidirectional nn.LSTM encoder, the
bridge to the decoder's initial state, an nn.LSTM decoder, Luong general attention, tanh(W_c[c; h])
and the output layer. Random float32 weights, evaluated in float64 with dropout off, on a padded batch
of sources of different lengths and padded targets. Each case stores every weight under heed's name
and in heed's layout (kernels transposed to (in, out); an LSTM's two biases summed), the source and
target ids and the logits of the teacher-forced targets[:, :-1]. The layout conversion here is numpy,
independent of the TypeScript code it checks.
"""
import json
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from torch_g2p import G2P, PAD  # noqa: E402

OUT = os.path.join(HERE, '..', '..', 'src', 'seq2seq', '__fixtures__')


def tensor_json(t):
    array = t.detach().double().numpy()
    return {'shape': list(array.shape), 'data': [float(x) for x in array.reshape(-1)]}


def heed_weights(model, layers):
    """torch_g2p.G2P's state dict under heed's RnnNetwork names and layouts."""
    p = {k: v.detach().double() for k, v in model.state_dict().items()}
    w = {
        'encoder/embedding': p['source_embedding.weight'],
        'decoder/embedding': p['target_embedding.weight'],
        'bridge/h_kernel': p['bridge_h.weight'].T,
        'bridge/h_bias': p['bridge_h.bias'],
        'bridge/c_kernel': p['bridge_c.weight'].T,
        'bridge/c_bias': p['bridge_c.bias'],
        'decoder/lstm/kernel': p['decoder.weight_ih_l0'].T,
        'decoder/lstm/recurrent_kernel': p['decoder.weight_hh_l0'].T,
        'decoder/lstm/bias': p['decoder.bias_ih_l0'] + p['decoder.bias_hh_l0'],
        'decoder/attention/kernel': p['score.weight'],  # score = h · (W m): heed's W (queryDim, keyDim)
        'decoder/combine_kernel': p['combine.weight'].T,  # input [context; h]
        'decoder/output_kernel': p['output.weight'].T,
        'decoder/output_bias': p['output.bias'],
    }
    for layer in range(layers):
        suffix = '' if layer == 0 else f'_{layer + 1}'
        for direction, torch_suffix in (('forward', ''), ('backward', '_reverse')):
            name = f'encoder/{direction}{suffix}'
            w[f'{name}/kernel'] = p[f'encoder.weight_ih_l{layer}{torch_suffix}'].T
            w[f'{name}/recurrent_kernel'] = p[f'encoder.weight_hh_l{layer}{torch_suffix}'].T
            w[f'{name}/bias'] = p[f'encoder.bias_ih_l{layer}{torch_suffix}'] + p[f'encoder.bias_hh_l{layer}{torch_suffix}']
    return {k: tensor_json(v) for k, v in w.items()}


def case(layers, seed):
    torch.manual_seed(seed)
    source_vocab, target_vocab, emb, units, decoder_units = 12, 10, 6, 5, 8
    model = G2P(source_vocab, target_vocab, emb, units, decoder_units, dropout=0.0, layers=layers)
    with torch.no_grad():
        for param in model.parameters():  # larger than the training init, so every gate matters
            param.copy_(torch.randn_like(param) * 0.5)
    model = model.double().eval()
    source = torch.tensor([[4, 5, 6, 7, 8], [9, 10, 11, PAD, PAD], [5, PAD, PAD, PAD, PAD]])
    target = torch.tensor([[2, 4, 5, 6, 3, PAD], [2, 7, 3, PAD, PAD, PAD], [2, 8, 9, 4, 5, 3]])
    lengths = (source != PAD).sum(1)
    with torch.no_grad():
        logits = model(source, lengths, target[:, :-1])
    return {
        'config': {'sourceVocabSize': source_vocab, 'targetVocabSize': target_vocab, 'attention': 'luong-general', 'embeddingDim': emb,
                   'encoderUnits': units, 'decoderUnits': decoder_units, 'encoderLayers': layers, 'dropout': 0},
        'weights': heed_weights(model, layers),
        'source': source.tolist(),
        'target': target.tolist(),
        'logits': tensor_json(logits),
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    cases = {'1 encoder layer': case(1, 1), '2 encoder layers': case(2, 2)}
    fixture = {'generator': 'packages/models/scripts/seq2seq/make-rnn-fixture.py', 'torch': torch.__version__, 'cases': cases}
    with open(os.path.join(OUT, 'rnn-torch.json'), 'w') as f:
        json.dump(fixture, f)
    print('wrote', os.path.join(OUT, 'rnn-torch.json'))


if __name__ == '__main__':
    main()
