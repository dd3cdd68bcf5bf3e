"""PyTorch 1.13's view of a GPT-2 folder that heed wrote (config.json + model.safetensors): loads it
strictly into scripts/hf/gpt2_reference.py's GPT2LMHeadModel (our independent GPT-2, written from the
published architecture) and prints, as one JSON line, the causal-LM loss over the given ids in blocks
(each block its own labels, as run_clm) and the greedy continuation of a prompt (with its own cache).

  echo '{"slice": [...], "blockSize": 128, "prompt": [...], "steps": 40}' | /usr/bin/python3 pytorch_check.py <folder>
"""

import json
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'hf'))
import gpt2_reference as ref  # noqa: E402
from safetensors_io import load_file  # noqa: E402


def main(folder):
    request = json.load(sys.stdin)
    with open(os.path.join(folder, 'config.json')) as src:
        config = json.load(src)
    model = ref.GPT2LMHeadModel(config)
    state = {key: value.float() for key, value in load_file(os.path.join(folder, 'model.safetensors')).items()}
    model.load_state_dict(state, strict=True)
    model.eval()
    block = request['blockSize']
    ids = request['slice']
    blocks = torch.tensor([ids[i:i + block] for i in range(0, len(ids) - block + 1, block)])
    with torch.no_grad():
        loss = float(model(blocks, labels=blocks)['loss'])
    greedy, _ = ref.greedy_with_cache(model, request['prompt'], request['steps'])
    print(json.dumps({'loss': loss, 'greedy': greedy[len(request['prompt']):]}))


if __name__ == '__main__':
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    main(sys.argv[1])
