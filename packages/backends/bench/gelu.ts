// `node --experimental-wasm-relaxed-simd --import tsx bench/gelu.ts`: GELU at bert-base's FFN
// hidden shape (batch 8 × sequence 128 tokens, 3072 units) on the wasm backend, heed's fused kernel
// (WebAssembly SIMD) against the composite reference (five tfjs ops), forward and forward+backward,
// in pairs in turn (order alternating), wall and process CPU time; medians of per-pair ratios. Not a test.
import { loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/init-backend';
import { fusedGelu, geluReference } from '../src/fused/fused-gelu';

const rounds = Number(process.argv.find((arg) => arg.startsWith('--rounds='))?.slice(9) ?? 15);
const load = () => loadavg().map((value) => value.toFixed(1)).join(' / ');
const loadStart = load();
const report = await initBackend({ backend: 'wasm' });
tf.env().set('PROD', true);
const x = tf.randomNormal([8 * 128, 3072], 0, 1.5, 'float32', 1);
const dy = tf.randomNormal([8 * 128, 3072], 0, 1, 'float32', 2);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] as number;

const timed = (run: () => tf.Tensor) => {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const out = run(); // wasm kernels run synchronously: no read-back (12 MB of it would cost more than the op)
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  out.dispose();
  return { wall, cpu: (used.user + used.system) / 1000 };
};
const forward = (gelu: (t: tf.Tensor) => tf.Tensor) => () => gelu(x);
const backward = (gelu: (t: tf.Tensor) => tf.Tensor) => () => tf.grad((input: tf.Tensor) => gelu(input).mul(dy).sum())(x);

const rows: string[] = [];
for (const [name, make] of [['forward', forward], ['forward+backward', backward]] as const) {
  const samples = { fused: { wall: [] as number[], cpu: [] as number[] }, reference: { wall: [] as number[], cpu: [] as number[] }, ratio: { wall: [] as number[], cpu: [] as number[] } };
  for (let round = -1; round < rounds; round++) {
    const fusedFirst = round % 2 === 0;
    const first = timed(make(fusedFirst ? fusedGelu : geluReference));
    const second = timed(make(fusedFirst ? geluReference : fusedGelu));
    if (round < 0) continue;
    const [fused, reference] = fusedFirst ? [first, second] : [second, first];
    for (const kind of ['wall', 'cpu'] as const) {
      samples.fused[kind].push(fused[kind]);
      samples.reference[kind].push(reference[kind]);
      samples.ratio[kind].push(fused[kind] / reference[kind]);
    }
  }
  rows.push(`| ${name} | ${median(samples.fused.wall).toFixed(1)} ms | ${median(samples.reference.wall).toFixed(1)} ms | ${median(samples.ratio.wall).toFixed(2)}x | ${median(samples.fused.cpu).toFixed(1)} ms | ${median(samples.reference.cpu).toFixed(1)} ms | ${median(samples.ratio.cpu).toFixed(2)}x |`);
}
console.log(`GELU on [1024, 3072] (bert-base FFN, batch 8 × 128 tokens), tfjs 4.22 wasm, heed's ${report.simdKernels?.build ?? 'no'} SIMD build; ${rounds} pairs after a warm-up; load ${loadStart} at the start, ${load()} at the end.`);
console.log('\n| pass | fused | composite reference | fused / reference | fused CPU | reference CPU | CPU ratio |\n|---|---:|---:|---:|---:|---:|---:|');
console.log(rows.join('\n'));
tf.dispose([x, dy]);
