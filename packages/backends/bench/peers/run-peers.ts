// `pnpm bench:peers`: heed's fused attention (wasm + WebAssembly SIMD) against the tfjs composite,
// onnxruntime-web, onnxruntime-node and PyTorch, in one run, writing BENCHMARKS.md's `fused` section.
// Setup (scripts/peers/setup-peers.mjs) installs PyTorch and exports the models first.
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/init-backend';
import { simdHeap, simdKernelsInfo } from '../../src/kernels/wasm-simd/load-simd-kernels';
import { registerSimdKernels, unregisterSimdKernels } from '../../src/kernels/wasm-simd/register-simd-kernels';
import { setSimdThreads } from '../../src/kernels/wasm-simd/attention-simd';
// @ts-expect-error plain JS helper shared by every package's bench
import { writeBenchmarkSection } from '../../../../tooling/scripts/benchmarks-md.mjs';
import { medianTime } from './median-time';
import { loadOnnxPeers } from './onnx-peers';
import { loadPeerModel } from './peer-weights';
import { peerReport, type PeerRow } from './report';
import { runTorchPeer } from './torch-peer';
import { attentionWorkload, COMPOSITE, encoderWorkload, FUSED, mhaWorkload, type Workload } from './workloads';

const packageRoot = fileURLToPath(new URL('../../', import.meta.url));
const outDir = `${packageRoot}.tmp/peers`;
const quick = process.argv.includes('--quick');
const lengths = quick ? [512] : [512, 1024, 4096];
const COMPOSITE_PEER = 'tfjs composite (wasm)';
const TORCH = 'PyTorch (2 threads)';

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let worst = 0;
  for (let index = 0; index < a.length; index++) worst = Math.max(worst, Math.abs((a[index] as number) - (b[index] as number)));
  return worst;
};

tf.env().set('PROD', true);
const report = await initBackend({ backend: 'wasm' });
const skipped: string[] = [];
const parity: string[] = [];
const memory: string[] = [];
const workloads: Workload[] = [];
if (existsSync(`${outDir}/mha.json`)) {
  workloads.push(mhaWorkload(loadPeerModel(`${outDir}/mha.json`)), encoderWorkload(loadPeerModel(`${outDir}/encoder.json`)));
} else {
  skipped.push('MultiheadAttention / TransformerEncoderLayer: no exported weights (PyTorch absent), run scripts/peers/setup-peers.mjs');
}
for (const length of lengths) workloads.push(attentionWorkload(length));

registerSimdKernels('wasm');
const poolThreads = simdHeap()?.pool?.threads ?? 1;
const BUILD = simdKernelsInfo()?.build === 'relaxed' ? 'relaxed SIMD' : 'SIMD';
const HEED = `heed (wasm ${BUILD}, 1 thread)`;
const HEED_THREADED = poolThreads > 1 ? `heed (wasm ${BUILD}, ${poolThreads} worker threads)` : undefined;
const { peers: onnxPeers, skipped: onnxSkipped } = await loadOnnxPeers();
skipped.push(...onnxSkipped);
const rows: PeerRow[] = [];
for (const workload of workloads) {
  console.log(`[bench:peers] ${workload.name}`);
  const forward: PeerRow = { workload: workload.name, pass: 'fwd', gflop: workload.forwardFlops / 1e9, times: {} };
  const both: PeerRow = { workload: workload.name, pass: 'fwd+bwd', gflop: (3 * workload.forwardFlops) / 1e9, times: {} };
  const warmup = workload.reps > 1 ? 1 : 0;
  registerSimdKernels('wasm'); // heed: fused attention + its wasm kernel overrides
  setSimdThreads(1);
  forward.times[HEED] = await medianTime(() => workload.forward(FUSED), workload.reps, warmup);
  const rssBefore = process.memoryUsage().rss;
  both.times[HEED] = await medianTime(() => workload.forwardBackward(FUSED), workload.reps, warmup);
  if (HEED_THREADED) {
    setSimdThreads(poolThreads);
    forward.times[HEED_THREADED] = await medianTime(() => workload.forward(FUSED), workload.reps, warmup);
    both.times[HEED_THREADED] = await medianTime(() => workload.forwardBackward(FUSED), workload.reps, warmup);
  }
  if (workload.name.includes('S4096')) {
    const simdMiB = (simdHeap()?.exports.memory.buffer.byteLength ?? 0) / 2 ** 20;
    const growthMiB = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
    memory.push(
      `${workload.name} fwd+bwd: heed's SIMD module memory ${simdMiB.toFixed(0)} MiB in all (copies of Q, K, V, O, dO, dQ, dK, dV at 8 MiB each, plus per-thread packed K/V scratch of O(S·D)); process RSS grew ${growthMiB.toFixed(0)} MiB; one (1,8,4096,4096) float32 score tensor alone is 512 MiB, and the composite keeps several.`,
    );
  }
  if (workload.compositeSkip) {
    forward.times[COMPOSITE_PEER] = both.times[COMPOSITE_PEER] = 'skipped';
    skipped.push(`${COMPOSITE_PEER} on ${workload.name}: ${workload.compositeSkip}`);
  } else {
    unregisterSimdKernels('wasm'); // the composite runs on tfjs' kernels (plus initBackend's overrides)
    forward.times[COMPOSITE_PEER] = await medianTime(() => workload.forward(COMPOSITE), workload.reps);
    both.times[COMPOSITE_PEER] = await medianTime(() => workload.forwardBackward(COMPOSITE), workload.reps);
  }
  const model = `${outDir}/${workload.onnx}.onnx`;
  for (const peer of onnxPeers) {
    if (!existsSync(model)) {
      forward.times[peer.name] = 'no model';
      continue;
    }
    forward.times[peer.name] = await peer.time(model, workload.feeds, workload.reps);
    both.times[peer.name] = 'inference only';
  }
  registerSimdKernels('wasm');
  if (workload.expected) {
    const heed = workload.forward(FUSED);
    parity.push(`${workload.name}: heed vs PyTorch output max |diff| = ${maxAbsDiff(await heed.data(), await workload.expected.data()).toExponential(1)}`);
    heed.dispose();
  } else if (onnxPeers[1] && existsSync(model) && !workload.name.includes('S4096')) {
    const heed = workload.forward(FUSED);
    const theirs = await onnxPeers[1].run(model, workload.feeds);
    parity.push(`${workload.name}: heed vs onnxruntime-node output max |diff| = ${maxAbsDiff(await heed.data(), theirs).toExponential(1)}`);
    heed.dispose();
  }
  rows.push(forward, both);
}

// Ceilings: tfjs wasm (XNNPACK) 2-D matmul and heed's fused attention forward, single thread.
const a = tf.randomNormal([1024, 1024]);
const b = tf.randomNormal([1024, 1024]);
const ceilings: Record<string, number> = {
  'tfjs wasm matMul 1024³ (XNNPACK, 1 thread, SIMD)': await (async () => {
    unregisterSimdKernels('wasm');
    return (2 * 1024 ** 3) / (await medianTime(() => tf.matMul(a, b), 5)) / 1e6;
  })(),
  'heed SIMD GEMM 1024³ (1 thread)': await (async () => {
    registerSimdKernels('wasm');
    setSimdThreads(1);
    return (2 * 1024 ** 3) / (await medianTime(() => tf.matMul(a, b), 5)) / 1e6;
  })(),
};

const torch = existsSync('/usr/bin/python3') ? runTorchPeer(`${packageRoot}scripts/peers/torch_bench.py`, outDir, quick ? 3 : 5) : { ok: false as const, reason: '/usr/bin/python3 is absent' };
if (torch.ok) {
  for (const row of rows) {
    const key = row.workload.startsWith('Multihead') ? 'mha' : row.workload.startsWith('Transformer') ? 'encoder' : `attention S${/S(\d+)/.exec(row.workload)?.[1]}`;
    row.times[TORCH] = torch.times[`${key} ${row.pass}`] ?? '–';
  }
  const torchMatMul = torch.times['matmul 1024 GFLOP/s'];
  if (torchMatMul) ceilings['PyTorch matmul 1024³ (2 threads, AVX2 FMA)'] = torchMatMul;
} else {
  skipped.push(`PyTorch: ${torch.reason}`);
}

const heedNames = HEED_THREADED ? [HEED, HEED_THREADED] : [HEED];
const peerNames = [...heedNames, COMPOSITE_PEER, ...onnxPeers.map((peer) => peer.name), ...(torch.ok ? [TORCH] : [])];
const markdown = peerReport(rows, {
  peers: peerNames,
  heedColumns: heedNames.length,
  ceilings,
  parity,
  memory,
  skipped,
  environment: `load average ${loadavg().map((value) => value.toFixed(1)).join('/')} at the end, Node ${process.version}, tfjs ${tf.version.tfjs} ${report.name} (SIMD ${report.simd}, threads ${report.threads}), ${new Date().toISOString().slice(0, 10)}`,
});
console.log(markdown);
if (!quick) writeBenchmarkSection('fused', markdown);
