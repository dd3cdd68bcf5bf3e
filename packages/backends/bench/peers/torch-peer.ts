import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const PYTHON = '/usr/bin/python3';

/** PyTorch's medians by workload name, or why they are missing. */
export type TorchResult = { ok: true; times: Record<string, number> } | { ok: false; reason: string };

/** Runs scripts/peers/torch_bench.py (2 threads, OMP_WAIT_POLICY=PASSIVE) in a child process. */
export function runTorchPeer(script: string, outDir: string, reps: number): TorchResult {
  if (!existsSync(PYTHON)) return { ok: false, reason: `${PYTHON} is absent` };
  const result = spawnSync(PYTHON, [script, outDir, String(reps)], {
    encoding: 'utf8',
    env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE', OMP_NUM_THREADS: '2' },
    maxBuffer: 1 << 24,
  });
  if (result.status !== 0) return { ok: false, reason: (result.stderr || result.error?.message || 'failed').trim().split('\n').slice(-1)[0] ?? '' };
  const line = result.stdout.trim().split('\n').slice(-1)[0] ?? '{}';
  return { ok: true, times: JSON.parse(line) as Record<string, number> };
}
