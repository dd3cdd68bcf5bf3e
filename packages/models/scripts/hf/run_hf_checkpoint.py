"""Loads a checkpoint folder (config.json + model.safetensors, as heed's savePretrained writes it)
into hf_reference.py's PyTorch class named by `architectures`, strictly (every tensor used, none
missing but the position_ids buffer), runs it in eval mode on the inputs of a JSON file and prints
the outputs as JSON: the round-trip check that PyTorch reads heed's saved layout.

  /usr/bin/python3 packages/models/scripts/hf/run_hf_checkpoint.py <folder> <inputs.json> [<folder> <inputs.json> …]

One JSON line per pair (one process: torch is imported once).
"""

import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hf_reference as ref  # noqa: E402
from safetensors_io import load_file  # noqa: E402


def main(folder, inputs_path):
    with open(os.path.join(folder, 'config.json')) as src:
        config = json.load(src)
    model = getattr(ref, config['architectures'][0])(config)
    state = load_file(os.path.join(folder, 'model.safetensors'))
    if hasattr(model, 'state_dict_hf') and 'vocab_projector.bias' in state:
        state['vocab_projector_bias'] = state.pop('vocab_projector.bias')
    missing, unexpected = model.load_state_dict({key: value.float() for key, value in state.items()}, strict=False)
    missing = [key for key in missing if not key.endswith('position_ids')]
    if missing or unexpected:
        raise SystemExit(f'missing {missing}, unexpected {unexpected}')
    model.eval()
    with open(inputs_path) as src:
        inputs = {key: torch.tensor(value) for key, value in json.load(src).items()}
    with torch.no_grad():
        outputs = model(**inputs)
    print(json.dumps({key: outputs[key].flatten().tolist() for key in ('logits', 'last_hidden_state', 'pooler_output') if outputs.get(key) is not None}))


if __name__ == '__main__':
    arguments = sys.argv[1:]
    if not arguments or len(arguments) % 2:
        raise SystemExit(__doc__)
    for i in range(0, len(arguments), 2):
        main(arguments[i], arguments[i + 1])
