/**
 * What the two GPT-2 generation benchmarks share (`bench:gpt2` in Node, `bench:gpt2 --chromium`;
 * never tests, not in CI): their options, the random gpt2-small checkpoint, the prompt, and the
 * PyTorch peer that checks greedy ids and exports the weights to ONNX with past key/values.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseHfConfig } from '../src/hf/config/hf-architectures';
import type { HfGpt2Config } from '../src/hf/config/hf-gpt2-config';
import { savePretrained } from '../src/hf/save-pretrained-node';
import { GPT2LMHeadModel } from '../src/gpt2/gpt2-lm-head-model';

const PYTHON = '/usr/bin/python3';
const here = fileURLToPath(new URL('.', import.meta.url));

/** The load average, 1/5/15 min. */
export const loadAverage = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');

/** How one `bench:gpt2` run is asked for (arguments and HEED_BENCH_* variables). */
export interface Gpt2BenchOptions {
  /** `--chromium`: heed and onnxruntime-web in headless Chromium instead of the Node peers. */
  chromium: boolean;
  /** HEED_BENCH_NEW: new tokens per generation (default 32 in Node, 16 in Chromium). */
  newTokens: number;
  /** HEED_BENCH_REPS: timed generations per engine after a warm-up (default 1 in Node, 3 in Chromium). */
  reps: number;
  /** HEED_BENCH_ROUNDS (Chromium): rounds of alternating heed / onnxruntime-web pages (default 3). */
  rounds: number;
  /** HEED_BENCH_THREADS (Chromium): both engines' threads (default: the cores). */
  threads: number;
  /** HEED_BENCH_CHECKPOINT: a GPT-2 folder instead of the random gpt2-small (a quick dry run). */
  checkpoint?: string;
  /** HEED_BENCH_DIAGNOSE=0 (Chromium) skips the pair of one-thread pages after the rounds. */
  diagnose: boolean;
  /** HEED_BENCH_DRY (Chromium): print the BENCHMARKS.md block but leave the file as it is. */
  dry: boolean;
}

function count(env: Record<string, string | undefined>, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new RangeError(`bench:gpt2: ${name} must be an integer ≥ ${min}; got ${JSON.stringify(raw)}`);
  return value;
}

/**
 * Reads `bench:gpt2`'s arguments (only `--chromium` is known) and HEED_BENCH_* variables; bad ones
 * are errors naming the argument, what it must be and what it was.
 */
export function gpt2BenchOptions(argv: readonly string[], env: Record<string, string | undefined>, cores: number): Gpt2BenchOptions {
  const unknown = argv.filter((arg) => arg !== '--chromium');
  if (unknown.length) throw new RangeError(`bench:gpt2: unknown argument ${JSON.stringify(unknown[0])}; expected none or --chromium`);
  const chromium = argv.includes('--chromium');
  return {
    chromium,
    newTokens: count(env, 'HEED_BENCH_NEW', chromium ? 16 : 32, 1),
    reps: count(env, 'HEED_BENCH_REPS', chromium ? 3 : 1, 1),
    rounds: count(env, 'HEED_BENCH_ROUNDS', 3, 1),
    threads: count(env, 'HEED_BENCH_THREADS', cores, 1),
    checkpoint: env.HEED_BENCH_CHECKPOINT || undefined,
    diagnose: env.HEED_BENCH_DIAGNOSE !== '0',
    dry: Boolean(env.HEED_BENCH_DRY),
  };
}

/** Writes the benchmark's model into `dir`: a copy of `checkpoint`, else a random gpt2-small (HF's initialization) through savePretrained. */
export async function writeGpt2Checkpoint(dir: string, checkpoint?: string): Promise<void> {
  if (checkpoint) return void cpSync(checkpoint, dir, { recursive: true });
  const fresh = new GPT2LMHeadModel(parseHfConfig({ model_type: 'gpt2', architectures: ['GPT2LMHeadModel'] }) as HfGpt2Config);
  try {
    await savePretrained(fresh, dir);
  } finally {
    fresh.dispose();
  }
}

/** The 8-token prompt every engine continues. */
export const gpt2BenchPrompt = (vocab: number): number[] => Array.from({ length: 8 }, (_, i) => (464 + i * 997) % vocab);

/** What gpt2_generate_peer.py prints; timings are absent when it ran with 0 reps (ids and the ONNX export only). */
export interface Gpt2TorchResult {
  ids: number[];
  first_logits: number[];
  uncached_ids_equal: boolean;
  cached_s?: number;
  uncached_s?: number;
  cached_cpu?: number;
  uncached_cpu?: number;
}

/**
 * PyTorch 1.13 on `dir`'s model.safetensors (gpt2_generate_peer.py, 2 threads): greedy ids with
 * and without its cache, `reps` timed runs of each (0: none), and the ONNX export with past
 * key/values at `onnxPath`. A string says why it did not run.
 */
export function runGpt2TorchPeer(dir: string, onnxPath: string, reps: number, newTokens: number, prompt: readonly number[]): Gpt2TorchResult | string {
  if (!existsSync(PYTHON)) return `${PYTHON} absent`;
  const torch = spawnSync(PYTHON, [join(here, 'gpt2_generate_peer.py'), dir, onnxPath, String(reps), String(newTokens), prompt.join(',')], {
    encoding: 'utf8',
    env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE', OMP_NUM_THREADS: '2' },
    maxBuffer: 1 << 27,
  });
  if (torch.status !== 0) return torch.stderr.trim().split('\n').at(-1) ?? `exit ${torch.status}`;
  return JSON.parse(torch.stdout.trim().split('\n').at(-1)!) as Gpt2TorchResult;
}
