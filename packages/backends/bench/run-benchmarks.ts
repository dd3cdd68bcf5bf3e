// `pnpm bench` for @heed/backends: matmul throughput per backend and what heed's kernel
// overrides gain, written to the "backends" section of BENCHMARKS.md.
import * as tf from '@tensorflow/tfjs';
import { cpus, totalmem } from 'node:os';
import { initBackend, registerKernelOverrides, unregisterKernelOverrides, type BackendName } from '../src/index';
// @ts-expect-error plain JS helper shared by every package's bench
import { writeBenchmarkSection } from '../../../tooling/scripts/benchmarks-md.mjs';
import { createEncoderLayer, type EncoderShape } from './encoder-layer';
import { medianMs } from './median-ms';

tf.env().set('PROD', true);
const quick = process.argv.includes('--quick');

/** Times `op(a, b)` and returns median ms, reading the result so lazy backends finish. */
async function timeOp(op: () => tf.Tensor, iterations: number): Promise<number> {
  return medianMs('op', async () => {
    const result = op();
    await result.data();
    result.dispose();
  }, iterations);
}

interface Row {
  backend: string;
  work: string;
  ms: number;
  gflops?: number;
}

async function matmulRows(backend: BackendName, size: number, iterations: number): Promise<Row[]> {
  await initBackend({ backend, allowSoftwareGpu: true });
  const rows: Row[] = [];
  const a = tf.randomNormal([size, size], 0, 1, 'float32', 1);
  const b = tf.randomNormal([size, size], 0, 1, 'float32', 2);
  const ms = await timeOp(() => tf.matMul(a, b), iterations);
  rows.push({ backend, work: `matMul ${size}³`, ms, gflops: (2 * size ** 3) / ms / 1e6 });
  const batchA = tf.randomNormal([64, 128, 64], 0, 1, 'float32', 3);
  const batchB = tf.randomNormal([64, 64, 128], 0, 1, 'float32', 4);
  const batchMs = await timeOp(() => tf.matMul(batchA, batchB), iterations);
  rows.push({ backend, work: 'batched matMul [64,128,64]×[64,64,128]', ms: batchMs, gflops: (2 * 64 * 128 * 64 * 128) / batchMs / 1e6 });
  tf.dispose([a, b, batchA, batchB]);
  return rows;
}

async function overrideGain(): Promise<string[]> {
  await initBackend({ backend: 'wasm' });
  const lines: string[] = [];
  const a = tf.randomNormal([1024, 512], 0, 1, 'float32', 5);
  const b = tf.randomNormal([512, 512], 0, 1, 'float32', 6);
  const flops = 2 * 1024 * 512 * 512;
  const measure = async (label: string, transposeA: boolean, transposeB: boolean) => {
    const left = transposeA ? a.transpose() : a;
    const right = transposeB ? b.transpose() : b;
    unregisterKernelOverrides('wasm');
    const stock = await timeOp(() => tf.matMul(left, right, transposeA, transposeB), quick ? 3 : 10);
    registerKernelOverrides('wasm');
    const fast = await timeOp(() => tf.matMul(left, right, transposeA, transposeB), quick ? 3 : 10);
    lines.push(`| ${label} | ${stock.toFixed(1)} ms (${(flops / stock / 1e6).toFixed(1)} GFLOP/s) | ${fast.toFixed(1)} ms (${(flops / fast / 1e6).toFixed(1)} GFLOP/s) | ${(stock / fast).toFixed(1)}x |`);
    if (left !== a) left.dispose();
    if (right !== b) right.dispose();
  };
  await measure('matMul(a, b) 1024×512×512, no transpose', false, false);
  await measure('matMul(a, b, false, true) 1024×512×512', false, true);
  await measure('matMul(a, b, true, false) 1024×512×512', true, false);
  tf.dispose([a, b]);

  const shape: EncoderShape = quick ? { batch: 8, time: 64, width: 256, heads: 4, hidden: 1024 } : { batch: 32, time: 64, width: 256, heads: 4, hidden: 1024 };
  const layer = createEncoderLayer(shape);
  const input = tf.randomNormal([shape.batch, shape.time, shape.width], 0, 1, 'float32', 7) as tf.Tensor3D;
  const step = () => {
    layer.forwardBackward(input);
    return tf.zeros([1]);
  };
  unregisterKernelOverrides('wasm');
  const stock = await timeOp(step, quick ? 1 : 3);
  registerKernelOverrides('wasm');
  const fast = await timeOp(step, quick ? 2 : 5);
  const name = `encoder layer fwd+bwd [B${shape.batch},S${shape.time},D${shape.width},H${shape.heads},FF${shape.hidden}] (tfjs composite)`;
  lines.push(`| ${name} | ${stock.toFixed(0)} ms | ${fast.toFixed(0)} ms | ${(stock / fast).toFixed(1)}x |`);
  tf.dispose(input);
  layer.dispose();
  return lines;
}

const rows: Row[] = [];
rows.push(...(await matmulRows('wasm', 1024, quick ? 3 : 10)));
rows.push(...(await matmulRows('cpu', 256, quick ? 2 : 5)));
try {
  rows.push(...(await matmulRows('webgpu', 256, quick ? 2 : 5)));
} catch (error) {
  console.warn(`webgpu skipped: ${(error as Error).message}`);
}
const gains = await overrideGain();

const cpu = cpus()[0]?.model ?? 'unknown CPU';
const markdown = `## @heed/backends — matmul per backend and kernel overrides

Machine: ${cpu}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, tfjs ${tf.version.tfjs}, ${new Date().toISOString().slice(0, 10)}.
Medians of tinybench runs (\`pnpm --filter @heed/backends bench\`${quick ? ' --quick' : ''}). WebGPU in Node is Mesa llvmpipe (software): correctness only, never speed.

| backend | work | median | GFLOP/s |
|---|---|---|---|
${rows.map((row) => `| ${row.backend} | ${row.work} | ${row.ms.toFixed(1)} ms | ${row.gflops?.toFixed(2) ?? ''} |`).join('\n')}

Transpose-first matmul override on wasm (\`initBackend\` registers it; \`fastKernels: false\` opts out). Same inputs, same run:

| work | stock tfjs 4.22 wasm | heed override | gain |
|---|---|---|---|
${gains.join('\n')}
`;
writeBenchmarkSection('backends', markdown);
console.log(markdown);
