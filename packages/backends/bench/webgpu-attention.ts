// `pnpm --filter @heed/backends bench:webgpu`: heed's WGSL fused attention against the tfjs-webgpu
// composite (matMul + softmax + matMul, which materializes the (B, H, T, S) scores), forward
// and forward+backward, for B 1 and 8, H 8, D 64, S = T = 512 / 1024 / 4096 / 8192.
//
// Flags: --quick (tiny shapes: only checks that everything runs, e.g. on a software GPU),
// --batch=1,8 --lengths=512,1024 --iterations=5, --threads=64 --tile=32 (tile preference, powers
// of two, still capped by the adapter's limits), --write (BENCHMARKS.md section
// "backends-webgpu"; refused on a software adapter, whose timings mean nothing).
import * as tf from '@tensorflow/tfjs';
import { attentionReference, fusedAttention, initBackend } from '../src/index';
import { setAttentionTilePreference } from '../src/kernels/webgpu/attention-tiles';
// @ts-expect-error plain JS helper shared by every package's bench
import { writeBenchmarkSection } from '../../../tooling/scripts/benchmarks-md.mjs';
import { medianMs } from './median-ms';

tf.env().set('PROD', true);
const argument = (name: string) => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1];
const numbers = (text: string | undefined, fallback: number[]) => (text ? text.split(',').map(Number) : fallback);
const quick = process.argv.includes('--quick');
const write = process.argv.includes('--write');
const batches = numbers(argument('batch'), quick ? [1] : [1, 8]);
const lengths = numbers(argument('lengths'), quick ? [33, 64] : [512, 1024, 4096, 8192]);
const heads = quick ? 2 : 8;
const depth = quick ? 16 : 64;
const iterations = Number(argument('iterations') ?? (quick ? 2 : 5));
const threads = argument('threads');
const tile = argument('tile');
setAttentionTilePreference({ ...(threads ? { threads: Number(threads) } : {}), ...(tile ? { tile: Number(tile) } : {}) });

const report = await initBackend({ backend: 'webgpu' });
const device = (tf.backend() as unknown as { device: GPUDevice }).device;
const adapterName = report.adapter ? [report.adapter.vendor, report.adapter.architecture, report.adapter.device, report.adapter.description].filter(Boolean).join(' ') : 'unknown adapter';
if (write && (report.adapter?.isSoftware ?? true)) throw new Error(`bench:webgpu --write refused: ${adapterName} is a software adapter`);

type Attention = typeof fusedAttention;
type Pass = 'fwd' | 'fwd+bwd';

/** Nominal FLOPs: forward 2 matmuls (4·BHTSD); backward 5 more (10·BHTSD), FlashAttention-2's convention. */
const flops = (batch: number, length: number, pass: Pass) => (pass === 'fwd' ? 4 : 14) * batch * heads * length * length * depth;

/** One timed step: the output (fwd) or the three gradients (fwd+bwd), read back to finish GPU work. */
function step(attention: Attention, pass: Pass, query: tf.Tensor4D, key: tf.Tensor4D, value: tf.Tensor4D): () => Promise<void> {
  return async () => {
    const result = tf.tidy(() => {
      if (pass === 'fwd') return attention(query, key, value).sum();
      const grads = tf.grads((q: tf.Tensor, k: tf.Tensor, v: tf.Tensor) => attention(q as tf.Tensor4D, k as tf.Tensor4D, v as tf.Tensor4D).sum())([query, key, value]);
      return tf.addN(grads.map((gradient) => gradient.sum()));
    });
    await result.data();
    result.dispose();
  };
}

/** Median ms, or why it could not run (out of memory, a buffer over the adapter's limits). */
async function measure(attention: Attention, pass: Pass, batch: number, length: number): Promise<number | string> {
  const scoresBytes = 4 * batch * heads * length * length;
  const limit = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  if (attention === attentionReference && scoresBytes > limit) {
    return `scores need ${(scoresBytes / 2 ** 30).toFixed(1)} GiB > buffer limit ${(limit / 2 ** 30).toFixed(1)} GiB`;
  }
  const shape: [number, number, number, number] = [batch, heads, length, depth];
  const [query, key, value] = [1, 2, 3].map((seed) => tf.randomNormal(shape, 0, 1, 'float32', seed) as tf.Tensor4D) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  try {
    return await medianMs(`${pass} ${length}`, step(attention, pass, query, key, value), iterations);
  } catch (error) {
    return `failed: ${(error as Error).message.split('\n')[0]}`;
  } finally {
    tf.dispose([query, key, value]);
    const validation = await device.popErrorScope();
    const memory = await device.popErrorScope();
    const gpuError = memory ?? validation;
    if (gpuError) console.warn(`[bench:webgpu] ${pass} S=${length}: GPU error ${gpuError.message.split('\n')[0]}`);
  }
}

const cell = (value: number | string, work: number) =>
  typeof value === 'number' ? `${value.toFixed(2)} ms (${(work / value / 1e9).toFixed(2)} TFLOP/s)` : value;

const lines: string[] = [];
for (const batch of batches)
  for (const length of lengths)
    for (const pass of ['fwd', 'fwd+bwd'] as const) {
      const fused = await measure(fusedAttention, pass, batch, length);
      const composite = await measure(attentionReference, pass, batch, length);
      const work = flops(batch, length, pass);
      const gain = typeof fused === 'number' && typeof composite === 'number' ? `${(composite / fused).toFixed(2)}x` : '';
      const line = `| B${batch} H${heads} S${length} D${depth} | ${pass} | ${cell(fused, work)} | ${cell(composite, work)} | ${gain} |`;
      console.log(line);
      lines.push(line);
    }

const flags = [quick ? ' --quick' : '', threads ? ` --threads=${threads}` : '', tile ? ` --tile=${tile}` : ''].join('');
const markdown = `## @heed/backends — WebGPU fused attention vs tfjs-webgpu composite

GPU: ${adapterName}. Node ${process.version}, tfjs ${tf.version.tfjs}, Dawn (\`webgpu\` npm), ${new Date().toISOString().slice(0, 10)}.
Medians of ${iterations} runs (\`pnpm --filter @heed/backends bench:webgpu${flags}\`); T = S, no mask. TFLOP/s from nominal FLOPs:
forward 4·B·H·T·S·D, forward+backward 14·B·H·T·S·D.

| shape | pass | heed fused (WGSL) | tfjs-webgpu composite | gain |
|---|---|---|---|---|
${lines.join('\n')}
`;
console.log(markdown);
if (write) writeBenchmarkSection('backends-webgpu', markdown);
