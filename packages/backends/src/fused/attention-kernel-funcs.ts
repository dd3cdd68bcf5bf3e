import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { attentionBackwardJs, type AttentionBackwardInputs, type AttentionGradients } from './attention-backward-js';
import { attentionForwardJs, type AttentionForwardResult } from './attention-forward-js';
import { poisonAttentionGradientsJs, poisonAttentionOutputJs } from './attention-nan-poison-js';
import type { AttentionProblem } from './attention-problem';
import type { BackendIo } from './backend-io';
import type { FusedAttentionAttrs } from './fused-attention-kernel';

/** The numeric cores a kernel runs: the JS reference or the WebAssembly SIMD ones. */
export interface AttentionCores {
  forward(problem: AttentionProblem): AttentionForwardResult;
  backward(problem: AttentionProblem, inputs: AttentionBackwardInputs): AttentionGradients;
}

/** The plain JavaScript cores. */
export const JS_CORES: AttentionCores = { forward: attentionForwardJs, backward: attentionBackwardJs };

function input(inputs: Record<string, TensorInfo | undefined>, name: string): TensorInfo {
  const info = inputs[name];
  if (!info) throw new Error(`fusedAttention kernel: missing input "${name}"`);
  return info;
}

function problemOf(io: BackendIo, backend: unknown, inputs: Record<string, TensorInfo | undefined>, attrs: FusedAttentionAttrs): AttentionProblem {
  const query = input(inputs, 'query');
  const key = input(inputs, 'key');
  const mask = input(inputs, 'mask');
  const [batch = 1, heads = 1, queryLength = 1, depth = 1] = query.shape;
  const [maskBatch = 1, maskHeads = 1, maskQuery = 1, maskKey = 1] = mask.shape;
  return {
    batch,
    heads,
    queryLength,
    keyLength: key.shape[2] ?? 1,
    depth,
    scale: attrs.scale,
    causal: attrs.causal,
    window: attrs.window,
    query: io.read(backend, query),
    key: io.read(backend, key),
    value: io.read(backend, input(inputs, 'value')),
    mask: io.read(backend, mask),
    maskShape: [maskBatch, maskHeads, maskQuery, maskKey],
  };
}

/** The forward kernel function of one backend over the given cores, with the NaN contract applied. */
export function forwardKernelFunc(io: BackendIo, cores: () => AttentionCores): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const problem = problemOf(io, backend, inputs as Record<string, TensorInfo>, attrs as FusedAttentionAttrs);
    const { output, logSumExp, finiteInputs } = cores().forward(problem);
    if (!finiteInputs) poisonAttentionOutputJs(problem, output); // NaN at the keys the cores skip (masked, causal-future)
    const { batch, heads, queryLength, depth } = problem;
    return [
      io.write(backend, [batch, heads, queryLength, depth], output),
      io.write(backend, [batch, heads, queryLength], logSumExp),
    ];
  };
}

/** The backward kernel function of one backend over the given cores, with the NaN contract applied. */
export function backwardKernelFunc(io: BackendIo, cores: () => AttentionCores): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const named = inputs as Record<string, TensorInfo>;
    const problem = problemOf(io, backend, named, attrs as FusedAttentionAttrs);
    const dOutput = io.read(backend, input(named, 'dOutput'));
    const gradients = cores().backward(problem, {
      output: io.read(backend, input(named, 'output')),
      logSumExp: io.read(backend, input(named, 'logSumExp')),
      dOutput,
    });
    if (!gradients.finiteInputs) poisonAttentionGradientsJs(problem, dOutput, gradients);
    return [
      io.write(backend, input(named, 'query').shape, gradients.dQuery),
      io.write(backend, input(named, 'key').shape, gradients.dKey),
      io.write(backend, input(named, 'value').shape, gradients.dValue),
    ];
  };
}
