"""PyTorch 1.13 peer of hf-bert-peers.ts (a benchmark, never a test): loads the checkpoint folder
heed's savePretrained wrote (config.json + model.safetensors) into hf_reference.py's
BertForSequenceClassification, times the forward pass at sequence 128 for each batch, exports the
same weights to ONNX (torch.onnx.export, opset 14, dynamic batch) for the onnxruntime peers and
prints one JSON line: medians in ms and the logits of the first batch (the parity check).

  OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 packages/models/bench/hf_bert_peer.py <folder> <onnx-out> <reps> <batch>...
"""

import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'backends', 'scripts', 'peers'))
import blas_core  # noqa: E402,F401  (before torch: OpenBLAS runs this CPU's kernels, see blas_core.py)

import torch  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'scripts', 'hf'))
import hf_reference as ref  # noqa: E402
from safetensors_io import load_file  # noqa: E402

SEQ = 128


def inputs(batch, vocab):
    ids = torch.tensor([[(101 + row * 31 + i * 7) % vocab for i in range(SEQ)] for row in range(batch)], dtype=torch.int64)
    return ids, torch.ones(batch, SEQ, dtype=torch.int64), torch.zeros(batch, SEQ, dtype=torch.int64)


def median_ms(fn, reps):
    fn()
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


class Logits(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, token_type_ids):
        return self.model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)['logits']


def main(folder, onnx_out, reps, batches):
    torch.set_num_threads(2)
    with open(os.path.join(folder, 'config.json')) as src:
        config = json.load(src)
    model = ref.BertForSequenceClassification(config)
    state = load_file(os.path.join(folder, 'model.safetensors'))
    missing, unexpected = model.load_state_dict({k: v.float() for k, v in state.items()}, strict=False)
    missing = [k for k in missing if not k.endswith('position_ids')]
    if missing or unexpected:
        raise SystemExit(f'missing {missing}, unexpected {unexpected}')
    model.eval()
    result = {'times': {}}
    with torch.no_grad():
        for batch in batches:
            ids, mask, types = inputs(batch, config['vocab_size'])
            result['times'][str(batch)] = median_ms(lambda: model(input_ids=ids, attention_mask=mask, token_type_ids=types), reps)
            if 'logits' not in result:
                result['logits'] = model(input_ids=ids, attention_mask=mask, token_type_ids=types)['logits'].flatten().tolist()
        ids, mask, types = inputs(1, config['vocab_size'])
        torch.onnx.export(Logits(model), (ids, mask, types), onnx_out, opset_version=14,
                          input_names=['input_ids', 'attention_mask', 'token_type_ids'], output_names=['logits'],
                          dynamic_axes={name: {0: 'batch'} for name in ('input_ids', 'attention_mask', 'token_type_ids', 'logits')})
    result['blas'] = blas_core.loaded_core()  # the kernels OpenBLAS ran (SkylakeX here, not the Prescott fallback)
    print(json.dumps(result))


if __name__ == '__main__':
    if len(sys.argv) < 5:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), [int(b) for b in sys.argv[4:]])
