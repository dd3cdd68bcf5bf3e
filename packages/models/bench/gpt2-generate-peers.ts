/**
 * Greedy generation speed of a gpt2-small-shaped GPT2LMHeadModel (12 layers, n_embd 768, 12 heads,
 * vocab 50257, n_positions 1024: 124M parameters, random weights with HF's initialization): tokens
 * per second for `HEED_BENCH_NEW` new tokens after an 8-token prompt, heed on the wasm backend with
 * its key/value cache (`gpt2Generate`) and without it (`useCache: false`: the whole sequence every
 * step), against PyTorch 1.13 (gpt2_generate_peer.py on the same model.safetensors written by heed's
 * savePretrained, its own past_key_values, and without) and onnxruntime-node / onnxruntime-web on
 * the same weights exported with past key/values (torch.onnx). All peers in one run; each checks
 * its greedy ids against heed's. A benchmark, never a test (not in CI):
 *
 *   pnpm --filter @heed/models bench:gpt2              # node --experimental-wasm-relaxed-simd --import tsx bench/gpt2-generate-peers.ts
 *   pnpm --filter @heed/models bench:gpt2 --chromium   # headless Chromium: gpt2-chromium.ts
 *
 * Env: HEED_BENCH_NEW (default 32), HEED_BENCH_REPS (default 1, after one warm-up),
 * HEED_BENCH_CHECKPOINT (a GPT-2 folder to use instead of the random gpt2-small: a quick dry run);
 * --chromium's in gpt2-bench-common.ts.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@heed/backends';
import { fromPretrained } from '../src/hf/from-pretrained';
import { folderSource } from '../src/hf/sources/folder-source-node';
import { gpt2Generate } from '../src/gpt2/gpt2-generate';
import type { GPT2LMHeadModel } from '../src/gpt2/gpt2-lm-head-model';
import { Gpt2Session } from '../src/gpt2/gpt2-session';
import { ortGreedyGenerate, type OrtModule } from './ort-gpt2-greedy';
import { gpt2BenchOptions, gpt2BenchPrompt, loadAverage as load, runGpt2TorchPeer, writeGpt2Checkpoint } from './gpt2-bench-common';

const options = gpt2BenchOptions(process.argv.slice(2), process.env, cpus().length);
const NEW = options.newTokens;
const REPS = options.reps;
if (options.chromium) {
  const { runGpt2ChromiumBench } = await import('./gpt2-chromium');
  await runGpt2ChromiumBench(options);
  process.exit(0);
}

/** Median wall seconds of `reps` runs after a warm-up, and the process CPU seconds (every thread) of that run. */
async function medianSeconds(fn: () => Promise<unknown>, reps: number): Promise<{ seconds: number; cpu: number }> {
  await fn(); // warm-up
  const times: { seconds: number; cpu: number }[] = [];
  for (let i = 0; i < reps; i += 1) {
    const start = performance.now();
    const cpu = process.cpuUsage();
    await fn();
    const used = process.cpuUsage(cpu);
    times.push({ seconds: (performance.now() - start) / 1000, cpu: (used.user + used.system) / 1e6 });
  }
  times.sort((a, b) => a.seconds - b.seconds);
  return times[Math.floor(times.length / 2)]!;
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, x, i) => Math.max(m, Math.abs(x - Number(b[i]))), 0);

const report = await initBackend({ backend: 'wasm' });
const simd = report.simdKernels ? `${report.simdKernels.build} SIMD kernels, ${report.simdKernels.threads} threads` : 'no SIMD kernels';
const dir = mkdtempSync(join(tmpdir(), 'heed-gpt2-bench-'));
const rows: { peer: string; seconds: number; cpu: number; same?: boolean; diff?: number }[] = [];
const loadStart = load();
try {
  await writeGpt2Checkpoint(dir, options.checkpoint);
  const model = await fromPretrained<GPT2LMHeadModel>(folderSource(dir), { onWarning: () => undefined });
  const config = model.config;
  const parameters = model.weights.reduce((sum, weight) => sum + weight.variable.size, 0);
  const prompt = gpt2BenchPrompt(config.vocab_size);
  console.log(`# GPT-2 greedy generation: ${(parameters / 1e6).toFixed(1)}M parameters (${config.n_layer} layers, n_embd ${config.n_embd}, vocab ${config.vocab_size}), prompt ${prompt.length} tokens, ${NEW} new; heed ${tf.getBackend()} (${simd}); ${cpus().length} cores; load ${loadStart}`);

  // heed: the cache, and without it.
  const generation = { maxNewTokens: NEW, stopTokens: [] as number[] };
  const [heed] = await gpt2Generate(model, [prompt], generation);
  const heedIds = heed!.ids;
  const session = await Gpt2Session.start(model, [prompt]);
  const firstLogits = (await session.step(Int32Array.from(session.lastTokens))).logits.slice();
  session.dispose();
  const before = tf.memory().numTensors;
  rows.push({ peer: `heed, key/value cache (wasm, ${simd})`, ...(await medianSeconds(() => gpt2Generate(model, [prompt], generation), REPS)) });
  if (tf.memory().numTensors !== before) throw new Error(`heed leaked ${tf.memory().numTensors - before} tensors`);
  console.log(`heed cached: ${rows.at(-1)!.seconds.toFixed(2)} s (load ${load()})`);
  const [uncached] = await gpt2Generate(model, [prompt], { ...generation, useCache: false });
  rows.push({ peer: 'heed, no cache (whole sequence each step)', ...(await medianSeconds(() => gpt2Generate(model, [prompt], { ...generation, useCache: false }), REPS)), same: uncached!.ids.join() === heedIds.join() });
  console.log(`heed uncached: ${rows.at(-1)!.seconds.toFixed(2)} s (load ${load()})`);
  model.dispose();

  // PyTorch, and the ONNX export with past key/values.
  const onnxPath = join(dir, 'model.onnx');
  const torch = runGpt2TorchPeer(dir, onnxPath, REPS, NEW, prompt);
  if (typeof torch !== 'string') {
    const out = torch as Required<typeof torch>;
    const same = out.ids.join() === heedIds.join();
    rows.push({ peer: 'PyTorch 1.13, past_key_values (2 threads)', seconds: out.cached_s, cpu: out.cached_cpu, same, diff: maxAbsDiff(firstLogits, out.first_logits) });
    rows.push({ peer: 'PyTorch 1.13, no cache (2 threads)', seconds: out.uncached_s, cpu: out.uncached_cpu, same: same && out.uncached_ids_equal });
    console.log(`torch: cached ${out.cached_s.toFixed(2)} s, uncached ${out.uncached_s.toFixed(2)} s (load ${load()})`);
  } else console.log(`PyTorch skipped: ${torch}`);

  // onnxruntime-node / -web: a greedy loop feeding the presents back as the pasts.
  if (existsSync(onnxPath)) {
    const require = createRequire(new URL('../../backends/package.json', import.meta.url));
    const peers: [string, string, Record<string, unknown>][] = [
      ['onnxruntime-node 1.30, past key/values (2 threads)', 'onnxruntime-node', { intraOpNumThreads: 2, interOpNumThreads: 1 }],
      ['onnxruntime-web 1.30, past key/values (wasm, 1 thread)', 'onnxruntime-web', { executionProviders: ['wasm'] }],
    ];
    for (const [name, pkg, sessionOptions] of peers) {
      try {
        const ort = (await import(require.resolve(pkg))) as OrtModule;
        if (pkg === 'onnxruntime-web' && ort.env.wasm) ort.env.wasm.numThreads = 1;
        const onnx = await ort.InferenceSession.create(readFileSync(onnxPath), sessionOptions);
        const generate = () => ortGreedyGenerate(ort, onnx, config, prompt, NEW);
        const ids = await generate();
        rows.push({ peer: name, ...(await medianSeconds(generate, REPS)), same: ids.join() === heedIds.join() });
        console.log(`${name}: ${rows.at(-1)!.seconds.toFixed(2)} s (load ${load()})`);
        await onnx.release();
      } catch (error) {
        console.log(`${name} skipped: ${(error as Error).message.split('\n')[0]}`);
      }
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log(`\nload average at the start ${loadStart}, at the end ${load()}\n`);
console.log(`| peer | ${NEW} new tokens, wall | tokens/s (wall) | CPU s per token (all threads) | peer tokens/s ÷ heed's (wall) | greedy ids = heed's | max abs Δ first-step logits |`);
console.log('|---|---|---|---|---|---|---|');
const heedRate = NEW / rows[0]!.seconds;
for (const row of rows) {
  const rate = NEW / row.seconds;
  console.log(`| ${row.peer} | ${row.seconds.toFixed(2)} s | ${rate.toFixed(1)} | ${(row.cpu / NEW).toFixed(3)} | ${(rate / heedRate).toFixed(2)}x | ${row.same === undefined ? '' : row.same ? 'yes' : 'NO'} | ${row.diff === undefined ? '' : row.diff.toExponential(1)} |`);
}
