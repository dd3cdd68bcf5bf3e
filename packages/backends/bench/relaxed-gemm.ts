// `pnpm bench:fma`: heed's relaxed-SIMD (FMA) GEMM against the plain SIMD one, one thread, in the
// same process, runs alternating (paired); the one-thread f32x4.relaxed_madd peak (fma-peak.ts),
// the most any relaxed kernel can reach; and heed's default matmul 1024³ (tf.matMul on wasm with
// heed's kernels: the build `auto` picks, its worker pool) against PyTorch's in the same run.
// Node 20 needs `node --experimental-wasm-relaxed-simd` (the package script passes it).
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/init-backend';
import { relaxedSimdSupported } from '../src/kernels/wasm-simd/simd-build';
import { fmaPeakGflops } from './fma-peak';
import { gemmModule } from './gemm-module';
// @ts-expect-error plain JS helper shared by every package's bench
import { writeBenchmarkSection } from '../../../tooling/scripts/benchmarks-md.mjs';

const SIZE = 1024;
const PAIRS = Number(process.env.PAIRS ?? 15);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] as number;
const gflops = (ms: number) => (2 * SIZE ** 3) / ms / 1e6;

if (!relaxedSimdSupported()) throw new Error('relaxed SIMD is unavailable: run with node --experimental-wasm-relaxed-simd (Node 20)');
const load = loadavg()[0]?.toFixed(2);

const gemm = (file: string) => gemmModule(new URL(`../dist/wasm/${file}`, import.meta.url), SIZE);

const plain = gemm('heed-kernels.wasm');
const relaxed = gemm('heed-kernels-relaxed.wasm');
const times = { plain: [] as number[], relaxed: [] as number[], ratio: [] as number[] };
plain.run();
relaxed.run();
for (let pair = 0; pair < PAIRS; pair++) {
  // alternate which runs first, so drift in the machine's load hits both
  const [first, second] = pair % 2 === 0 ? (['plain', 'relaxed'] as const) : (['relaxed', 'plain'] as const);
  const measured = { [first]: (first === 'plain' ? plain : relaxed).run().wall, [second]: (second === 'plain' ? plain : relaxed).run().wall } as Record<'plain' | 'relaxed', number>;
  times.plain.push(measured.plain);
  times.relaxed.push(measured.relaxed);
  times.ratio.push(measured.plain / measured.relaxed);
}
const peak = fmaPeakGflops();
let worst = 0;
const [p, r] = [plain.result(), relaxed.result()];
for (let index = 0; index < p.length; index++) worst = Math.max(worst, Math.abs((p[index] as number) - (r[index] as number)));

// heed's defaults: tf.matMul on the wasm backend with heed's kernels (auto build, worker pool)
tf.env().set('PROD', true);
const report = await initBackend({ backend: 'wasm' });
const x = tf.randomNormal([SIZE, SIZE], 0, 1, 'float32', 1);
const y = tf.randomNormal([SIZE, SIZE], 0, 1, 'float32', 2);
const heedTimes: number[] = [];
for (let rep = 0; rep < 12; rep++) {
  const start = performance.now();
  const z = tf.matMul(x, y);
  z.dataSync();
  heedTimes.push(performance.now() - start);
  z.dispose();
}
// scripts/peers/blas_core.py, imported before torch: OpenBLAS runs this CPU's kernels, not its SSE3
// fallback for CPU models it does not know
const peers = new URL('../scripts/peers/', import.meta.url).pathname;
const torch = spawnSync('/usr/bin/python3', ['-c', `
import sys; sys.path.insert(0, ${JSON.stringify(peers)})
import blas_core
import time, torch
torch.set_num_threads(2)
a = torch.randn(${SIZE}, ${SIZE}); b = torch.randn(${SIZE}, ${SIZE})
a @ b
ts = []
for _ in range(12):
    t = time.perf_counter(); a @ b; ts.append((time.perf_counter() - t) * 1e3)
print(sorted(ts)[len(ts) // 2], blas_core.loaded_core())`], { encoding: 'utf8', env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE', OMP_NUM_THREADS: '2' } });
const [torchOut, blasCore] = torch.status === 0 ? torch.stdout.trim().split(' ') : [];
const torchMs = torchOut === undefined ? undefined : Number(torchOut);
const heedMs = median(heedTimes.slice(2));
const kernels = report.simdKernels;

const lines = [
  '## @heed/backends — relaxed-SIMD (FMA) GEMM',
  '',
  `Node ${process.version}, 2-core shared machine, load average ${load} at the start (other builds and tests ran alongside: absolute times are noisy, the paired ratio less so). \`pnpm --filter @heed/backends bench:fma\`.`,
  '',
  `One thread, matMul ${SIZE}³ in heed's kernel modules, ${PAIRS} pairs run alternately in one process (max |relaxed − plain| = ${worst.toExponential(1)}):`,
  '',
  '| build | median | GFLOP/s |',
  '|---|---|---|',
  `| plain SIMD (mul + add) | ${median(times.plain).toFixed(1)} ms | ${gflops(median(times.plain)).toFixed(1)} |`,
  `| relaxed SIMD (relaxed_madd → vfmadd) | ${median(times.relaxed).toFixed(1)} ms | ${gflops(median(times.relaxed)).toFixed(1)} |`,
  `| median of the per-pair ratios plain / relaxed | ${median(times.ratio).toFixed(2)}x | |`,
  `| f32x4.relaxed_madd peak, one thread (12 independent chains, no memory) | | ${peak.toFixed(1)} |`,
  '',
  `CPU: ${cpus()[0]?.model ?? 'unknown'}. The relaxed GEMM runs at ${((100 * gflops(median(times.relaxed))) / peak).toFixed(0)}% of the FMA peak, so no relaxed kernel can be more than ${(peak / gflops(median(times.plain))).toFixed(2)}x this plain build here (peak / plain). Where a core also runs adds on pipes beside its multiply or FMA pipes (AMD Zen 4; Intel Golden Cove's adders on ports 1 and 5), the plain build's multiply and add partly issue in parallel, so FMA gains well under 2x. 5×8 and 6×8 register tiles spill in V8 and are slower than 4×8 (see assembly/gemm.ts).`,
  '',
  `heed's defaults (tf.matMul on wasm, ${kernels ? `${kernels.build} build, ${kernels.threads} threads` : 'no heed kernels'}) vs PyTorch 1.13 (2 threads, OpenBLAS ${blasCore ?? 'n/a'} kernels), same run:`,
  '',
  '| work | heed | PyTorch | heed / PyTorch |',
  '|---|---|---|---|',
  `| matMul ${SIZE}³ | ${heedMs.toFixed(1)} ms (${gflops(heedMs).toFixed(0)} GFLOP/s) | ${torchMs === undefined ? 'n/a (PyTorch absent)' : `${torchMs.toFixed(1)} ms (${gflops(torchMs).toFixed(0)} GFLOP/s)`} | ${torchMs === undefined ? 'n/a' : `${(heedMs / torchMs).toFixed(2)}x`} |`,
];
console.log(lines.join('\n'));
if (!process.argv.includes('--no-write')) writeBenchmarkSection('backends-fma', lines.join('\n'));
tf.dispose([x, y]);
