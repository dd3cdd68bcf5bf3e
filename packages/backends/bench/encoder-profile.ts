// `pnpm --filter @heed/backends bench:profile`: where one training step (forward + backward) of
// nn.TransformerEncoderLayer [B32, S64, D256, H4, FF1024] on the wasm backend spends its time, by
// tfjs kernel (tf.profile; wasm kernels run synchronously, so kernel time is wall time). The
// layer is heed-models.ts' encoderLayer with fusedAttention, as `pnpm bench:peers` times it.
import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { initBackend } from '../src/index';
import { registerSharedIdentity, unregisterSharedIdentity } from '../src/kernels/wasm-shared/shared-identity';
import { encoderLayer, type Weights } from './peers/heed-models';
import { FUSED } from './peers/workloads';

const [batch, length, width, heads, feedforward] = [32, 64, 256, 4, 1024];
const steps = Number(process.argv.find((arg) => arg.startsWith('--steps='))?.slice(8) ?? 3);
/** With --torch: time heed's step and PyTorch's in turn (A B A B), for ratios from the same run. */
const withTorch = process.argv.includes('--torch');
/** With --identity: time the step with heed's shared-buffer Identity and with tfjs' copying one, in turn. */
const identityPairs = process.argv.includes('--identity');

await initBackend({ backend: 'wasm' });
tf.env().set('PROD', true);
let seed = 1;
const random = (shape: number[], scale: number) => tf.randomNormal(shape, 0, scale, 'float32', seed++);
// Already (in, out): what transposeLinearWeights makes of PyTorch's (out, in) Linear weights.
const weights: Weights = {
  'self_attn.q_proj_weight': random([width, width], 1 / 16), 'self_attn.q_proj_bias': random([width], 0.02),
  'self_attn.k_proj_weight': random([width, width], 1 / 16), 'self_attn.k_proj_bias': random([width], 0.02),
  'self_attn.v_proj_weight': random([width, width], 1 / 16), 'self_attn.v_proj_bias': random([width], 0.02),
  'self_attn.out_proj.weight': random([width, width], 1 / 16), 'self_attn.out_proj.bias': random([width], 0.02),
  'linear1.weight': random([width, feedforward], 1 / 16), 'linear1.bias': random([feedforward], 0.02),
  'linear2.weight': random([feedforward, width], 1 / 32), 'linear2.bias': random([width], 0.02),
  'norm1.weight': tf.ones([width]), 'norm1.bias': tf.zeros([width]),
  'norm2.weight': tf.ones([width]), 'norm2.bias': tf.zeros([width]),
};
const names = Object.keys(weights);
const x = random([batch, length, width], 1) as tf.Tensor3D;
const step = () => {
  const gradients = tf.grads((...values: tf.Tensor[]) => {
    const bound: Weights = Object.fromEntries(names.map((name, index) => [name, values[index]!]));
    return encoderLayer(x, bound, heads, FUSED).sum();
  })(names.map((name) => weights[name]!));
  tf.dispose(gradients);
};

step(); // warm-up: compiles, allocates
const wall: number[] = [];
const byKernel = new Map<string, { ms: number; calls: number }>();
for (let index = 0; index < steps; index++) {
  const started = performance.now();
  const profile = await tf.profile(step);
  wall.push(performance.now() - started);
  for (const kernel of profile.kernels) {
    const entry = byKernel.get(kernel.name) ?? { ms: 0, calls: 0 };
    entry.ms += Number(kernel.kernelTimeMs) / steps;
    entry.calls += 1 / steps;
    byKernel.set(kernel.name, entry);
  }
}
const total = [...byKernel.values()].reduce((sum, entry) => sum + entry.ms, 0);
wall.sort((a, b) => a - b);
console.log(`encoder layer fwd+bwd [B${batch},S${length},D${width},H${heads},FF${feedforward}], wasm, ${steps} profiled steps, load average ${loadavg()[0]!.toFixed(1)} (shared machine)`);
console.log(`median step (profiled) ${wall[Math.floor(wall.length / 2)]!.toFixed(0)} ms; kernel time ${total.toFixed(0)} ms per step`);
console.log('| kernel | calls | ms per step | share |\n|---|---:|---:|---:|');
for (const [name, entry] of [...byKernel].sort((a, b) => b[1].ms - a[1].ms)) {
  console.log(`| ${name} | ${entry.calls.toFixed(0)} | ${entry.ms.toFixed(1)} | ${((100 * entry.ms) / total).toFixed(1)}% |`);
}

if (withTorch) {
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const heedMedian = () => {
    const times: number[] = [];
    for (let rep = 0; rep < 5; rep++) {
      const started = performance.now();
      step();
      times.push(performance.now() - started);
    }
    return median(times);
  };
  const script = new URL('../scripts/peers/torch_encoder_step.py', import.meta.url).pathname;
  const torchMedian = () => Number(execFileSync('/usr/bin/python3', [script, '5'], { env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE' } }).toString());
  console.log('\n| pair | heed wasm step (median of 5) | PyTorch 1.13, 2 threads | heed / PyTorch |\n|---|---:|---:|---:|');
  for (let pair = 1; pair <= 3; pair++) {
    const heed = heedMedian();
    const torch = torchMedian();
    console.log(`| ${pair} | ${heed.toFixed(0)} ms | ${torch.toFixed(0)} ms | ${(heed / torch).toFixed(2)}x |`);
  }
  console.log(`load average after: ${loadavg()[0]!.toFixed(1)}`);
}

if (identityPairs) {
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const timed = () => {
    const times: number[] = [];
    for (let rep = 0; rep < 5; rep++) {
      const started = performance.now();
      step();
      times.push(performance.now() - started);
    }
    return median(times);
  };
  console.log('\n| pair | shared Identity (median of 5) | stock copying Identity | shared / stock |\n|---|---:|---:|---:|');
  for (let pair = 1; pair <= 3; pair++) {
    registerSharedIdentity('wasm');
    const shared = timed();
    unregisterSharedIdentity('wasm');
    const stock = timed();
    console.log(`| ${pair} | ${shared.toFixed(0)} ms | ${stock.toFixed(0)} ms | ${(shared / stock).toFixed(3)} |`);
  }
  registerSharedIdentity('wasm');
  console.log(`load average after: ${loadavg()[0]!.toFixed(1)}`);
}
