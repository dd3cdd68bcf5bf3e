"""PyTorch 1.13 peer of hf-bert-train-step.ts (a benchmark, never a test): one fine-tuning step
(forward, cross-entropy, backward, SGD lr 1e-3; eval mode, no dropout) of the checkpoint folder
heed wrote, at sequence 128; prints one JSON line: the median ms and the first step's loss.

  /usr/bin/python3 packages/models/bench/hf_bert_train_peer.py <folder> <reps> <batch>
"""

import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'backends', 'scripts', 'peers'))
import blas_core  # noqa: E402,F401  (before torch: OpenBLAS runs this CPU's kernels, see blas_core.py)

import torch  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hf_bert_peer import inputs, median_ms  # noqa: E402
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'scripts', 'hf'))
import hf_reference as ref  # noqa: E402
from safetensors_io import load_file  # noqa: E402


def main(folder, reps, batch):
    torch.set_num_threads(2)
    with open(os.path.join(folder, 'config.json')) as src:
        config = json.load(src)
    model = ref.BertForSequenceClassification(config)
    model.load_state_dict({k: v.float() for k, v in load_file(os.path.join(folder, 'model.safetensors')).items()}, strict=False)
    model.eval()
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-3)
    ids, mask, types = inputs(batch, config['vocab_size'])
    labels = torch.tensor([row % 2 for row in range(batch)])
    losses = []

    def step():
        optimizer.zero_grad()
        logits = model(input_ids=ids, attention_mask=mask, token_type_ids=types)['logits']
        loss = torch.nn.functional.cross_entropy(logits, labels)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())

    ms = median_ms(step, reps)
    print(json.dumps({'ms': ms, 'loss': losses[0]}))


if __name__ == '__main__':
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
