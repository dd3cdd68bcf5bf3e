"""PyTorch 1.13 peer of gpt2-generate-peers.ts (a benchmark, never a test): loads the GPT-2 checkpoint
folder heed's savePretrained wrote into gpt2_reference.py's GPT2LMHeadModel, times greedy generation
of <new> tokens after <prompt ids> with its own key/value cache (past_key_values) and without it
(the whole sequence recomputed every step), exports the same weights to ONNX with past key/values
(torch.onnx.export, opset 14; inputs input_ids, position_ids, past_<layer>_key/value; outputs
logits, present_<layer>_key/value; dynamic tokens and past lengths) for the onnxruntime peers, and
prints one JSON line: wall and CPU seconds of the median run, the generated ids and the first step's logits.
With <reps> 0 (bench:gpt2 --chromium) it times nothing: the ids, the check without cache and the export.

  OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 packages/models/bench/gpt2_generate_peer.py <folder> <onnx-out> <reps> <new> <prompt ids, comma-separated>
"""

import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'backends', 'scripts', 'peers'))
import blas_core  # noqa: E402,F401  (before torch: OpenBLAS runs this CPU's kernels, see blas_core.py)

import torch  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'scripts', 'hf'))
import gpt2_reference as ref  # noqa: E402
from safetensors_io import load_file  # noqa: E402


def median_s(fn, reps):
    """Median wall seconds after a warm-up, and the process CPU seconds (every thread) of that run."""
    fn()
    times = []
    for _ in range(reps):
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        times.append((time.perf_counter() - start, time.process_time() - cpu))
    times.sort()
    return times[len(times) // 2]


def greedy_without_cache(model, prompt, steps):
    ids = list(prompt)
    with torch.no_grad():
        for _ in range(steps):
            ids.append(int(torch.argmax(model(torch.tensor([ids]))['logits'][0, -1])))
    return ids


class WithPast(torch.nn.Module):
    """The decoder step onnxruntime runs: new ids and their positions, every layer's past in, logits and presents out."""

    def __init__(self, model, layers):
        super().__init__()
        self.model = model
        self.layers = layers

    def forward(self, input_ids, position_ids, *past):
        pairs = [(past[2 * i], past[2 * i + 1]) for i in range(self.layers)]
        out = self.model(input_ids, position_ids=position_ids, past_key_values=pairs)
        return (out['logits'], *[t for pair in out['past_key_values'] for t in pair])


def main(folder, onnx_out, reps, new, prompt):
    torch.set_num_threads(2)
    with open(os.path.join(folder, 'config.json')) as src:
        config = json.load(src)
    model = ref.GPT2LMHeadModel(config)
    state = {k: v.float() for k, v in load_file(os.path.join(folder, 'model.safetensors')).items()
             if k != 'lm_head.weight' and not k.endswith(('.attn.bias', '.attn.masked_bias'))}  # the tie and old buffers
    missing, unexpected = model.load_state_dict(state, strict=False)
    if missing or unexpected:
        raise SystemExit(f'missing {missing}, unexpected {unexpected}')
    model.eval()
    result = {}
    ids, step_logits = ref.greedy_with_cache(model, prompt, new)
    result['ids'] = ids
    result['first_logits'] = step_logits[0].tolist()
    if reps > 0:
        result['cached_s'], result['cached_cpu'] = median_s(lambda: ref.greedy_with_cache(model, prompt, new), reps)
    uncached = greedy_without_cache(model, prompt, new)
    result['uncached_ids_equal'] = uncached == ids
    if reps > 0:
        result['uncached_s'], result['uncached_cpu'] = median_s(lambda: greedy_without_cache(model, prompt, new), reps)
    layers, heads, width = config['n_layer'], config['n_head'], config['n_embd']
    names = [f'{kind}_{i}_{part}' for i in range(layers) for kind, part in [('past', 'key'), ('past', 'value')]]
    presents = [f'present_{i}_{part}' for i in range(layers) for part in ('key', 'value')]
    past = [torch.randn(1, heads, 3, width // heads) for _ in range(2 * layers)]
    with torch.no_grad():
        torch.onnx.export(WithPast(model, layers), (torch.tensor([[5, 7]]), torch.tensor([[3, 4]]), *past), onnx_out, opset_version=14,
                          input_names=['input_ids', 'position_ids', *names], output_names=['logits', *presents],
                          dynamic_axes={'input_ids': {1: 'tokens'}, 'position_ids': {1: 'tokens'}, 'logits': {1: 'tokens'},
                                        **{name: {2: 'past'} for name in names}, **{name: {2: 'total'} for name in presents}})
    result['blas'] = blas_core.loaded_core()  # the kernels OpenBLAS ran (SkylakeX here, not the Prescott fallback)
    print(json.dumps(result))


if __name__ == '__main__':
    if len(sys.argv) != 6:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), [int(i) for i in sys.argv[5].split(',')])
