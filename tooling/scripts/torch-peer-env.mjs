// The environment for PyTorch peers of heed's benchmarks. Debian's PyTorch 1.13 runs its float32
// GEMMs on OpenBLAS 0.3.21 (DYNAMIC_ARCH), which picks its kernels by CPU model; a model it does
// not know (Intel model 207, Emerald Rapids, under KVM here) falls back to its Prescott (SSE3)
// kernels: matmul 1024³ at ~31 GFLOP/s instead of ~300 on 2 cores. This asks OpenBLAS which core
// it picked and, where that is Prescott on a CPU with AVX-512 (or AVX2 + FMA), names the newest
// kernel set the CPU can run (SkylakeX, Haswell) in OPENBLAS_CORETYPE, unless the caller set one.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const PYTHON = '/usr/bin/python3';

/** @returns {Set<string>} the CPU's feature flags (empty where /proc/cpuinfo is absent) */
function cpuFlags() {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((text) => text.startsWith('flags'));
    return new Set((line ?? '').split(':')[1]?.trim().split(/\s+/) ?? []);
  } catch {
    return new Set();
  }
}

/**
 * @param {NodeJS.ProcessEnv} env
 * @returns {string | undefined} the OpenBLAS core PyTorch's BLAS uses under `env`, e.g. "SkylakeX"
 */
export function openblasCore(env) {
  const probe = spawnSync(PYTHON, ['-c', 'import torch; torch.ones(64, 64) @ torch.ones(64, 64)'], { encoding: 'utf8', env: { ...env, OPENBLAS_VERBOSE: '2' } });
  return /Core: (\S+)/.exec(`${probe.stdout}${probe.stderr}`)?.[1];
}

/**
 * The env for a PyTorch peer on `threads` threads (OMP_WAIT_POLICY=PASSIVE, OMP_NUM_THREADS and
 * OPENBLAS_NUM_THREADS), with OPENBLAS_CORETYPE set where OpenBLAS would fall back to Prescott.
 *
 * @example
 * const { env, blas } = torchPeerEnv(2); // blas: "OpenBLAS SkylakeX (detected Prescott, forced)"
 * spawnSync('/usr/bin/python3', ['peer.py'], { env });
 *
 * @param {number} threads
 * @returns {{ env: NodeJS.ProcessEnv, blas: string }}
 */
export function torchPeerEnv(threads = 2) {
  const env = { ...process.env, OMP_WAIT_POLICY: 'PASSIVE', OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads) };
  const core = openblasCore(env);
  if (core === undefined) return { env, blas: 'BLAS core unknown (not OpenBLAS, or PyTorch absent)' };
  if (core !== 'Prescott' || process.env.OPENBLAS_CORETYPE) return { env, blas: `OpenBLAS ${core}` };
  const flags = cpuFlags();
  const forced = flags.has('avx512f') && flags.has('avx512bw') && flags.has('avx512vl') ? 'SkylakeX' : flags.has('avx2') && flags.has('fma') ? 'Haswell' : undefined;
  if (forced === undefined) return { env, blas: 'OpenBLAS Prescott' };
  const fixed = { ...env, OPENBLAS_CORETYPE: forced };
  const picked = openblasCore(fixed);
  return picked === forced ? { env: fixed, blas: `OpenBLAS ${forced} (it detected Prescott; OPENBLAS_CORETYPE=${forced})` } : { env, blas: `OpenBLAS Prescott (OPENBLAS_CORETYPE=${forced} refused)` };
}
