"""Loads a GPT-2 checkpoint folder (config.json + model.safetensors, as heed's savePretrained writes
it) into gpt2_reference.py's PyTorch class named by `architectures`, strictly (every tensor used,
none missing; a stored tied lm_head.weight must equal wte, the old attn.bias / attn.masked_bias
buffers are skipped), runs it in eval mode on the inputs of a JSON file ({input_ids,
attention_mask?}) and prints {logits | last_hidden_state} as one JSON line per pair: the round-trip
check that PyTorch reads heed's saved GPT-2 layout.

  /usr/bin/python3 packages/models/scripts/hf/run_gpt2_checkpoint.py <folder> <inputs.json> [<folder> <inputs.json> ...]
"""

import json
import os
import re
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gpt2_reference as ref  # noqa: E402
from safetensors_io import load_file  # noqa: E402


def main(folder, inputs_path):
    with open(os.path.join(folder, 'config.json')) as src:
        config = json.load(src)
    model = getattr(ref, config['architectures'][0])(config)
    state = {key: value.float() for key, value in load_file(os.path.join(folder, 'model.safetensors')).items()
             if not re.search(r'\.attn\.(masked_)?bias$', key)}
    tied = state.pop('lm_head.weight', None)
    missing, unexpected = model.load_state_dict(state, strict=False)
    if missing or unexpected:
        raise SystemExit(f'missing {missing}, unexpected {unexpected}')
    if tied is not None and not torch.equal(tied, model.transformer.wte.weight):
        raise SystemExit('lm_head.weight differs from transformer.wte.weight (GPT-2 ties them)')
    model.eval()
    with open(inputs_path) as src:
        inputs = {key: torch.tensor(value) for key, value in json.load(src).items()}
    with torch.no_grad():
        outputs = model(**inputs)
    key = 'logits' if 'logits' in outputs else 'last_hidden_state'
    print(json.dumps({key: outputs[key].flatten().tolist(), 'shape': list(outputs[key].shape)}))


if __name__ == '__main__':
    pairs = sys.argv[1:]
    if not pairs or len(pairs) % 2:
        raise SystemExit(__doc__)
    for i in range(0, len(pairs), 2):
        main(pairs[i], pairs[i + 1])
