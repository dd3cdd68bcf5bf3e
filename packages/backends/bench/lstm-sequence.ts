// `pnpm bench` for lstmSequence: one LSTM layer forward + backward over a G2P-sized batch, the
// fused SIMD loops against the tfjs composite (same run, same inputs) and PyTorch's nn.LSTM on
// the same machine; written to the "backends-lstm" section of BENCHMARKS.md.
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { initBackend, loadSimdKernels, lstmSequence, setFusedLstmEnabled, setSimdThreads } from '../src/index';
// @ts-expect-error plain JS helper shared by every package's bench
import { writeBenchmarkSection } from '../../../tooling/scripts/benchmarks-md.mjs';
import { medianMs } from './median-ms';

tf.env().set('PROD', true);
const quick = process.argv.includes('--quick');
const iterations = quick ? 3 : 10;
await initBackend({ backend: 'wasm' });
await loadSimdKernels();
setSimdThreads(1);

/** (batch, time, units): the G2P encoder direction and decoder of the shipped model, at batch 128 and 256. */
const SHAPES: Array<[number, number, number]> = [
  [128, 10, 128],
  [128, 10, 256],
  [256, 10, 256],
];

async function fwdBwd(batch: number, time: number, units: number, fused: boolean): Promise<number> {
  const projected = tf.randomNormal([batch, time, 4 * units], 0, 1, 'float32', 1) as tf.Tensor3D;
  const kernel = tf.randomNormal([units, 4 * units], 0, 0.1, 'float32', 2) as tf.Tensor2D;
  const mask = tf.tensor2d(Array.from({ length: batch * time }, (_, i) => (i % time < time - (i % 3) ? 1 : 0)), [batch, time]); // rows of length T, T−1, T−2
  const previous = setFusedLstmEnabled(fused);
  const grads = tf.grads((z: tf.Tensor, w: tf.Tensor) => {
    const { outputs, h, c } = lstmSequence(z as tf.Tensor3D, w as tf.Tensor2D, { mask });
    return tf.addN([tf.sum(outputs), tf.sum(h), tf.sum(c)]) as tf.Scalar;
  });
  const ms = await medianMs(`lstm ${fused}`, async () => {
    const [dz, dw] = grads([projected, kernel]);
    await dw!.data();
    tf.dispose([dz!, dw!]);
  }, iterations);
  setFusedLstmEnabled(previous);
  tf.dispose([projected, kernel, mask]);
  return ms;
}

function torchPeer(threads: number): Record<string, number> | string {
  const script = new URL('../scripts/peers/torch_lstm_bench.py', import.meta.url).pathname;
  const result = spawnSync('/usr/bin/python3', [script, String(threads), String(iterations), ...SHAPES.map((shape) => shape.join(','))], {
    encoding: 'utf8',
    env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE', OMP_NUM_THREADS: String(threads) },
  });
  if (result.status !== 0) return (result.stderr || result.error?.message || 'failed').trim().split('\n').slice(-1)[0] ?? 'failed';
  return JSON.parse(result.stdout.trim().split('\n').slice(-1)[0] ?? '{}') as Record<string, number>;
}

const torch1 = torchPeer(1);
const torch2 = torchPeer(2);
const rows: string[] = [];
for (const [batch, time, units] of SHAPES) {
  const composite = await fwdBwd(batch, time, units, false);
  const fused = await fwdBwd(batch, time, units, true);
  const key = [batch, time, units].join(',');
  const peer = (result: Record<string, number> | string) => (typeof result === 'string' ? 'n/a' : `${result[key]!.toFixed(1)} ms`);
  const ratio = typeof torch1 === 'string' ? 'n/a' : `${(fused / torch1[key]!).toFixed(1)}x`;
  rows.push(`| B${batch} T${time} U${units} | ${composite.toFixed(1)} ms | ${fused.toFixed(1)} ms | ${(composite / fused).toFixed(2)}x | ${peer(torch1)} | ${peer(torch2)} | ${ratio} |`);
}
const notes = [torch1, torch2].filter((result) => typeof result === 'string');
const markdown = `## @heed/backends — lstmSequence, one LSTM layer forward + backward

Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}, tfjs ${tf.version.tfjs} wasm (1 thread, SIMD), ${new Date().toISOString().slice(0, 10)}.
\`pnpm --filter @heed/backends bench\`${quick ? ' --quick' : ''}: medians of ${iterations} runs of gradients of (Σ outputs + Σ h + Σ c) with respect to the projected inputs and the recurrent kernel, a padding mask on two rows in three. Composite: one tfjs op per gate per step (\`lstmSequenceReference\`); fused: \`lstmSequence\` (the recurrence forward and backward in heed's WebAssembly SIMD loops). PyTorch ${typeof torch1 === 'string' ? '' : '1.13 '}nn.LSTM (input size 64, so it also does the input GEMM heed's op leaves outside) on 1 and 2 threads.${notes.length ? ` PyTorch: ${notes[0]}.` : ''}

| batch, steps, units | composite | fused | gain | PyTorch 1 thread | PyTorch 2 threads | fused / PyTorch 1 thread |
|---|---|---|---|---|---|---|
${rows.join('\n')}
`;
writeBenchmarkSection('backends-lstm', markdown);
console.log(markdown);
