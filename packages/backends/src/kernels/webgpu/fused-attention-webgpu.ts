import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { FusedAttention, FusedAttentionGrad, type FusedAttentionAttrs } from '../../fused/fused-attention-kernel';
import { AttentionDKeyValueProgram } from './attention-dkdv-program';
import { AttentionDQueryProgram } from './attention-dq-program';
import { AttentionForwardProgram } from './attention-forward-program';
import { AttentionRowStatsProgram } from './attention-row-stats-program';
import { attentionLimits, chooseAttentionTiles, warnOnce, warnTileShortfall, type AttentionTiles } from './attention-tiles';
import { attentionUniforms } from './attention-wgsl';
import { copyRange } from './copy-range-program';
import type { WebGpuBackendLike } from './webgpu-program';

function input(inputs: Record<string, TensorInfo | undefined>, name: string): TensorInfo {
  const info = inputs[name];
  if (!info) throw new Error(`fusedAttention webgpu kernel: missing input "${name}"`);
  return info;
}

/** Tiles for a program that stages `rowsPerTile` rows of `bytesPerRow` bytes, warning once if limits shrink them. */
function tilesFor(backend: WebGpuBackendLike, program: string, bytesPerRow: number): AttentionTiles {
  const limits = attentionLimits(backend.device);
  const tiles = chooseAttentionTiles(limits, bytesPerRow);
  warnTileShortfall(program, tiles, limits);
  return tiles;
}

/** Whether a packed buffer of `floats` fits one storage binding; warns once when it does not. */
function packedFits(backend: WebGpuBackendLike, program: string, floats: number): boolean {
  const limit = attentionLimits(backend.device).maxStorageBufferBindingSize;
  if (4 * floats <= limit) return true;
  warnOnce(
    `[heed] webgpu fused attention (${program}): packed outputs (${4 * floats} bytes) exceed maxStorageBufferBindingSize ${limit}; computing each output in its own pass (exact, slower).`,
  );
  return false;
}

/**
 * Fused attention forward on tfjs' webgpu backend: one {@link AttentionForwardProgram} dispatch
 * (online softmax over shared K/V tiles), then its packed output is split into `output` and
 * `logSumExp`, the same outputs and layout as the cpu and wasm kernels.
 */
export const fusedAttentionWebGpu: KernelFunc = ({ inputs, backend, attrs }) => {
  const gpu = backend as unknown as WebGpuBackendLike;
  const named = inputs as Record<string, TensorInfo | undefined>;
  const query = input(named, 'query');
  const [batch = 1, heads = 1, queryLength = 1, depth = 1] = query.shape;
  const tiles = tilesFor(gpu, 'forward', 8 * depth);
  const shape = { batch, heads, queryLength, depth };
  const operands = ['query', 'key', 'value', 'mask'].map((name) => input(named, name));
  const uniforms = attentionUniforms(attrs as FusedAttentionAttrs);
  const rows = batch * heads * queryLength;
  if (!packedFits(gpu, 'forward', rows * (depth + 1))) {
    return [
      gpu.runWebGPUProgram(new AttentionForwardProgram(shape, tiles, 'output'), operands, 'float32', uniforms),
      gpu.runWebGPUProgram(new AttentionForwardProgram(shape, tiles, 'logSumExp'), operands, 'float32', uniforms),
    ];
  }
  const packed = gpu.runWebGPUProgram(new AttentionForwardProgram(shape, tiles), operands, 'float32', uniforms);
  const output = copyRange(gpu, packed, 0, [batch, heads, queryLength, depth]);
  const logSumExp = copyRange(gpu, packed, rows * depth, [batch, heads, queryLength]);
  gpu.disposeData(packed.dataId);
  return [output, logSumExp];
};

/**
 * Fused attention backward on tfjs' webgpu backend (FlashAttention-2): row statistics
 * [lse, dO·O], then dQuery by query blocks and dKey/dValue by key blocks, both recomputing the
 * probabilities from the saved log-sum-exp over shared tiles.
 */
export const fusedAttentionGradWebGpu: KernelFunc = ({ inputs, backend, attrs }) => {
  const gpu = backend as unknown as WebGpuBackendLike;
  const named = inputs as Record<string, TensorInfo | undefined>;
  const query = input(named, 'query');
  const key = input(named, 'key');
  const [batch = 1, heads = 1, queryLength = 1, depth = 1] = query.shape;
  const uniforms = attentionUniforms(attrs as FusedAttentionAttrs);
  const rows = batch * heads * queryLength;
  const stats = gpu.runWebGPUProgram(
    new AttentionRowStatsProgram(rows, depth),
    [input(named, 'output'), input(named, 'dOutput'), input(named, 'logSumExp')],
    'float32',
  );
  const operands = [query, key, input(named, 'value'), input(named, 'mask'), input(named, 'dOutput'), stats];
  const dQuery = gpu.runWebGPUProgram(new AttentionDQueryProgram(query.shape, tilesFor(gpu, 'dQuery', 8 * depth)), operands, 'float32', uniforms);
  const keyTiles = tilesFor(gpu, 'dKey/dValue', 8 * depth + 8);
  const half = key.shape.reduce((product, dim) => product * dim, 1);
  if (!packedFits(gpu, 'dKey/dValue', 2 * half)) {
    const dKey = gpu.runWebGPUProgram(new AttentionDKeyValueProgram(key.shape, keyTiles, 'dKey'), operands, 'float32', uniforms);
    const dValue = gpu.runWebGPUProgram(new AttentionDKeyValueProgram(key.shape, keyTiles, 'dValue'), operands, 'float32', uniforms);
    gpu.disposeData(stats.dataId);
    return [dQuery, dKey, dValue];
  }
  const packed = gpu.runWebGPUProgram(new AttentionDKeyValueProgram(key.shape, keyTiles), operands, 'float32', uniforms);
  const dKey = copyRange(gpu, packed, 0, key.shape);
  const dValue = copyRange(gpu, packed, half, key.shape);
  gpu.disposeData(stats.dataId);
  gpu.disposeData(packed.dataId);
  return [dQuery, dKey, dValue];
};

/** Fused attention forward on the webgpu backend. */
export const fusedAttentionWebGpuConfig: KernelConfig = {
  kernelName: FusedAttention,
  backendName: 'webgpu',
  kernelFunc: fusedAttentionWebGpu,
};

/** Fused attention backward on the webgpu backend. */
export const fusedAttentionGradWebGpuConfig: KernelConfig = {
  kernelName: FusedAttentionGrad,
  backendName: 'webgpu',
  kernelFunc: fusedAttentionGradWebGpu,
};
