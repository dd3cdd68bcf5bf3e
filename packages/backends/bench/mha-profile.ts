// `pnpm --filter @heed/backends bench:mha-profile`: where one nn.MultiheadAttention
// [B8, S128, E512, H8] training step (forward + backward, as `pnpm bench:goals` times it) spends
// its time on the wasm backend, by tfjs kernel (tf.profile; heed's wasm kernels run synchronously,
// so kernel time is wall time), with the step's wall and CPU time (process.cpuUsage, every thread).
// `--steps=N` profiled steps (default 5); `--workload=encoder` profiles the encoder-layer row instead.
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/init-backend';
import { loadPeerModel } from './peers/peer-weights';
import { encoderWorkload, FUSED, mhaWorkload } from './peers/workloads';

const option = (name: string) => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const steps = Number(option('steps') ?? 5);
const which = option('workload') ?? 'mha';
const peers = `${fileURLToPath(new URL('../', import.meta.url))}.tmp/peers`;
if (!existsSync(`${peers}/mha.json`)) throw new Error(`no exported peer weights in ${peers}: run node scripts/peers/setup-peers.mjs`);

tf.env().set('PROD', true);
await initBackend({ backend: 'wasm' });
const workload = which === 'encoder' ? encoderWorkload(loadPeerModel(`${peers}/encoder.json`)) : mhaWorkload(loadPeerModel(`${peers}/mha.json`));
const step = () => tf.dispose(workload.forwardBackward(FUSED));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] as number;

for (let index = 0; index < 2; index++) step(); // warm-up: compiles, allocates
const plain = { wall: [] as number[], cpu: [] as number[] };
for (let index = 0; index < steps; index++) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  step();
  plain.wall.push(performance.now() - started);
  const used = process.cpuUsage(cpu);
  plain.cpu.push((used.user + used.system) / 1000);
}
const byKernel = new Map<string, { ms: number; calls: number }>();
for (let index = 0; index < steps; index++) {
  const profile = await tf.profile(step);
  for (const kernel of profile.kernels) {
    const key = `${kernel.name} ${kernel.inputShapes.map((shape) => `[${shape?.join(',')}]`).join(' ')}`;
    const entry = byKernel.get(key) ?? { ms: 0, calls: 0 };
    entry.ms += Number(kernel.kernelTimeMs) / steps;
    entry.calls += 1 / steps;
    byKernel.set(key, entry);
  }
}
const total = [...byKernel.values()].reduce((sum, entry) => sum + entry.ms, 0);
console.log(`${workload.name} fwd+bwd, wasm, load average ${loadavg()[0]!.toFixed(1)}`);
console.log(`unprofiled step: median wall ${median(plain.wall).toFixed(1)} ms, CPU ${median(plain.cpu).toFixed(1)} ms (${steps} steps); kernel time ${total.toFixed(1)} ms per profiled step`);
console.log('| kernel (input shapes) | calls | ms per step | share |\n|---|---:|---:|---:|');
for (const [name, entry] of [...byKernel].sort((a, b) => b[1].ms - a[1].ms)) {
  if (entry.ms < 0.05) continue;
  console.log(`| ${name} | ${entry.calls.toFixed(0)} | ${entry.ms.toFixed(2)} | ${((100 * entry.ms) / total).toFixed(1)}% |`);
}
