"""Prints PyTorch's BertForMaskedLM logits (hf_reference.py) for a checkpoint folder, as JSON.
Usage: /usr/bin/python3 mlm_logits.py CHECKPOINT_DIR '[[2, 17, 3], ...]'   (rows of equal length)"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'hf'))
import hf_reference as ref  # noqa: E402
from safetensors_io import load_file  # noqa: E402

folder, ids = sys.argv[1], torch.tensor(json.loads(sys.argv[2]), dtype=torch.long)
with open(os.path.join(folder, 'config.json'), encoding='utf8') as f:
    config = json.load(f)
model = ref.BertForMaskedLM(config)
missing, unexpected = model.load_state_dict(load_file(os.path.join(folder, 'model.safetensors')), strict=False)
missing = [m for m in missing if not m.endswith('position_ids')]
if missing or unexpected:
    raise SystemExit(f'mlm_logits.py: missing {missing}, unexpected {unexpected}')
model.eval()
with torch.no_grad():
    print(json.dumps(model(ids)['logits'].tolist()))
