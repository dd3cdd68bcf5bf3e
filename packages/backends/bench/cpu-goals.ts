// `pnpm bench:goals`: issue #25's CPU goals in one run, heed and PyTorch 1.13 (2 threads) sample by
// sample in turn (A B B A …), so both see the same load on this shared machine: matmul 1024³ with
// heed's defaults, nn.MultiheadAttention [B8,S128,E512,H8] fwd and fwd+bwd, nn.TransformerEncoderLayer
// [B32,S64,D256,H4,FF1024] fwd+bwd; then heed's one-thread GEMM 1024³, relaxed (FMA) against plain,
// in pairs. `--before=DIR` adds the kernel modules in DIR (an earlier dist/wasm) to the one-thread
// pairs; `--rounds=N` (default 9); `--write` writes BENCHMARKS.md's `backends-goals` section;
// `--only=mha,encoder` runs only the workloads whose names contain one of the words (no one-thread
// GEMM pairs unless `matmul` is among them; not with --write).
// Needs scripts/peers/setup-peers.mjs (exported weights) and node --experimental-wasm-relaxed-simd.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/init-backend';
import { relaxedSimdSupported } from '../src/kernels/wasm-simd/simd-build';
// @ts-expect-error plain JS helper shared by every package's bench
import { writeBenchmarkSection } from '../../../tooling/scripts/benchmarks-md.mjs';
import { gemmModule, type GemmModule } from './gemm-module';
import { loadPeerModel } from './peers/peer-weights';
import { encoderWorkload, FUSED, mhaWorkload } from './peers/workloads';

const option = (name: string) => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const rounds = Number(option('rounds') ?? 9);
const before = option('before');
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] as number;
const packageRoot = fileURLToPath(new URL('../', import.meta.url));
const peers = `${packageRoot}.tmp/peers`;
if (!existsSync(`${peers}/mha.json`)) throw new Error(`no exported peer weights in ${peers}: run node scripts/peers/setup-peers.mjs`);
if (!relaxedSimdSupported()) throw new Error('relaxed SIMD is unavailable: run with node --experimental-wasm-relaxed-simd (Node 20)');
const loadStart = loadavg().map((value) => value.toFixed(1)).join(' / ');

tf.env().set('PROD', true);
const report = await initBackend({ backend: 'wasm' });
const mha = mhaWorkload(loadPeerModel(`${peers}/mha.json`));
const encoder = encoderWorkload(loadPeerModel(`${peers}/encoder.json`));
const x = tf.randomNormal([1024, 1024], 0, 1, 'float32', 1);
const y = tf.randomNormal([1024, 1024], 0, 1, 'float32', 2);

interface Sample {
  wall: number;
  /** CPU time of the whole process (every thread), ms: what the work cost, whatever the load. */
  cpu: number;
}

/** Runs, reads back and disposes; returns wall and CPU ms. */
const timed = async (run: () => tf.Tensor | tf.Tensor[]): Promise<Sample> => {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const out = run();
  const tensors = Array.isArray(out) ? out : [out];
  for (const tensor of tensors) await tensor.data();
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  tf.dispose(tensors);
  return { wall, cpu: (used.user + used.system) / 1000 };
};
const ALL_WORKLOADS = [
  { name: 'matmul', label: 'matmul 1024³, heed defaults', goal: 2.5, heed: () => timed(() => tf.matMul(x, y)) },
  { name: 'mha fwd', label: `${mha.name} fwd`, goal: 2, heed: () => timed(() => mha.forward(FUSED)) },
  { name: 'mha fwd+bwd', label: `${mha.name} fwd+bwd`, goal: 2, heed: () => timed(() => mha.forwardBackward(FUSED)) },
  { name: 'encoder fwd+bwd', label: `${encoder.name} fwd+bwd`, goal: 2, heed: () => timed(() => encoder.forwardBackward(FUSED)) },
];
const only = option('only')?.split(',');
if (only && process.argv.includes('--write')) throw new Error('cpu-goals: --write needs every workload; drop --only');
const WORKLOADS = only ? ALL_WORKLOADS.filter((workload) => only.some((word) => workload.name.includes(word))) : ALL_WORKLOADS;
if (WORKLOADS.length === 0) throw new Error(`cpu-goals: --only=${only?.join(',')} matches none of ${ALL_WORKLOADS.map((workload) => workload.name).join(', ')}`);
const gemmPairs = WORKLOADS.some((workload) => workload.name === 'matmul');

// PyTorch stays up and runs one workload per line, so its samples interleave with heed's
const torch = spawn('/usr/bin/python3', [`${packageRoot}scripts/peers/torch_goals_server.py`], {
  cwd: `${packageRoot}scripts/peers`,
  env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE', OMP_NUM_THREADS: '2' },
  stdio: ['pipe', 'pipe', 'inherit'],
});
const lines = createInterface({ input: torch.stdout })[Symbol.asyncIterator]();
const nextLine = async () => {
  const line = await lines.next();
  if (line.done) throw new Error('the PyTorch peer exited');
  return line.value as string;
};
const [, torchVersion, , blasCore] = (await nextLine()).split(' ');
const torchRun = async (name: string): Promise<Sample> => {
  torch.stdin.write(`${name}\n`);
  const [wall, cpu] = (await nextLine()).split(' ').map(Number) as [number, number];
  return { wall, cpu };
};

const series = () => ({ heed: [] as number[], torch: [] as number[], ratio: [] as number[] });
const samples = new Map(WORKLOADS.map((workload) => [workload.name, { wall: series(), cpu: series() }]));
for (let round = -1; round < rounds; round++) {
  for (const workload of WORKLOADS) {
    const heedFirst = round % 2 === 0;
    const first = heedFirst ? await workload.heed() : await torchRun(workload.name);
    const second = heedFirst ? await torchRun(workload.name) : await workload.heed();
    const [heedMs, torchMs] = heedFirst ? [first, second] : [second, first];
    if (round < 0) continue; // warm-up round
    for (const kind of ['wall', 'cpu'] as const) {
      const entry = samples.get(workload.name)![kind];
      entry.heed.push(heedMs[kind]);
      entry.torch.push(torchMs[kind]);
      entry.ratio.push(heedMs[kind] / torchMs[kind]);
    }
  }
}
torch.stdin.end();

// one thread, heed's kernel modules directly: relaxed against plain (and an earlier build's)
const modules: [string, GemmModule][] = gemmPairs ? [
  ['plain', gemmModule(new URL('../dist/wasm/heed-kernels.wasm', import.meta.url), 1024)],
  ['relaxed', gemmModule(new URL('../dist/wasm/heed-kernels-relaxed.wasm', import.meta.url), 1024)],
] : [];
if (before && gemmPairs) {
  modules.push(['plain, before', gemmModule(`${before}/heed-kernels.wasm`, 1024)]);
  modules.push(['relaxed, before', gemmModule(`${before}/heed-kernels-relaxed.wasm`, 1024)]);
}
const gemmTimes = new Map(modules.map(([name]) => [name, { wall: [] as number[], cpu: [] as number[] }]));
const gemmRatios = { wall: [] as number[], cpu: [] as number[] };
for (const [, module] of modules) module.run();
for (let round = 0; gemmPairs && round < rounds; round++) {
  const order = round % 2 === 0 ? modules : [...modules].reverse();
  const times = new Map(order.map(([name, module]) => [name, module.run()]));
  for (const [name, sample] of times) {
    gemmTimes.get(name)!.wall.push(sample.wall);
    gemmTimes.get(name)!.cpu.push(sample.cpu);
  }
  gemmRatios.wall.push(times.get('plain')!.wall / times.get('relaxed')!.wall);
  gemmRatios.cpu.push(times.get('plain')!.cpu / times.get('relaxed')!.cpu);
}
const gflops = (ms: number) => (2 * 1024 ** 3) / ms / 1e6;
const loadEnd = loadavg().map((value) => value.toFixed(1)).join(' / ');
const kernels = report.simdKernels;

const table = [
  `Node ${process.version} (--experimental-wasm-relaxed-simd), tfjs 4.22 wasm with heed's kernels (${kernels ? `${kernels.build} build, ${kernels.threads} threads` : 'none'}); PyTorch ${torchVersion} (2 threads, OMP_WAIT_POLICY=PASSIVE, OpenBLAS ${blasCore} kernels); ${cpus()[0]?.model ?? 'CPU'}, ${cpus().length} cores shared with other work, load average (1/5/15 min) ${loadStart} at the start, ${loadEnd} at the end. ${rounds} rounds after a warm-up; in each, every workload runs once on heed and once on PyTorch, in turn (order alternating by round). Medians; the ratio is the median of the per-pair ratios.`,
  '',
  '| workload | heed | PyTorch | heed / PyTorch | goal | met | heed CPU time | PyTorch CPU time | CPU-time ratio |',
  '|---|---:|---:|---:|---:|---|---:|---:|---:|',
  ...WORKLOADS.map((workload) => {
    const { wall, cpu } = samples.get(workload.name)!;
    const ratio = median(wall.ratio);
    return `| ${workload.label} | ${median(wall.heed).toFixed(1)} ms | ${median(wall.torch).toFixed(1)} ms | ${ratio.toFixed(2)}x | ≤ ${workload.goal}x | ${ratio <= workload.goal ? 'yes' : 'no'} | ${median(cpu.heed).toFixed(1)} ms | ${median(cpu.torch).toFixed(1)} ms | ${median(cpu.ratio).toFixed(2)}x |`;
  }),
  ...(gemmPairs ? [
    '',
    `One thread, matMul 1024³ straight on heed's kernel modules, ${rounds} rounds in turn:`,
    '',
    '| module | wall | GFLOP/s | CPU time | GFLOP/s of CPU time |',
    '|---|---:|---:|---:|---:|',
    ...[...gemmTimes].map(([name, { wall, cpu }]) => `| ${name} | ${median(wall).toFixed(1)} ms | ${gflops(median(wall)).toFixed(1)} | ${median(cpu).toFixed(1)} ms | ${gflops(median(cpu)).toFixed(1)} |`),
    `| plain / relaxed, median of per-round ratios (goal ≥ 1.6x) | ${median(gemmRatios.wall).toFixed(2)}x | | ${median(gemmRatios.cpu).toFixed(2)}x | |`,
  ] : []),
].join('\n');
console.log(table);
console.log(JSON.stringify({ samples: Object.fromEntries(samples), gemm: Object.fromEntries(gemmTimes) }));
if (process.argv.includes('--write')) writeBenchmarkSection('backends-goals', table);
tf.dispose([x, y]);
