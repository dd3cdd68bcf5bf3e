/**
 * The Chromium half of `bench:gpt2` (`pnpm --filter @heed/models bench:gpt2 --chromium`; never a
 * test, not in CI): greedy generation of a gpt2-small-shaped GPT2LMHeadModel (124M parameters,
 * random weights) in Debian's headless Chromium on a cross-origin isolated page (COOP/COEP), heed
 * (tfjs wasm with heed's SIMD kernels on its Web Worker pool) with its key/value cache and without
 * it, against onnxruntime-web (wasm EP) on the same weights exported by PyTorch 1.13 with past
 * key/values, both with threads on. Every engine runs in a fresh page, heed and onnxruntime-web
 * alternating for HEED_BENCH_ROUNDS rounds; every engine's greedy ids are checked against heed's
 * (and PyTorch's). Serving, bundling and the page runner are chromium-site.ts, shared with
 * `bench:hf --chromium`. Writes the `models-gpt2-chromium` block of BENCHMARKS.md (inside the GPT-2
 * section) unless HEED_BENCH_DRY is set. Options: gpt2-bench-common.ts.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { initBackend } from '@heed/backends';
import { browserUnavailable, launchChromium } from '@heed/browser-testing';
import { median } from './bert-bench-inputs';
import type { Gpt2PageMode, Gpt2PageRequest, Gpt2PageResult } from './chromium/gpt2-page';
import { bundlePage, cpuBetween, cpuModel, REPO_ROOT, runPage, serveIsolated } from './chromium-site';
import { gpt2BenchPrompt, loadAverage, runGpt2TorchPeer, writeGpt2Checkpoint, type Gpt2BenchOptions, type Gpt2TorchResult } from './gpt2-bench-common';

/** One page's outcome, with each mode's renderer CPU during its timed generations. */
interface PageRun {
  label: string;
  /** 1, 2, …: the compared pages, both engines on the requested threads; 0: the one-thread pair (a diagnostic, not pooled). */
  round: number;
  result: Gpt2PageResult;
  cpu: Map<Gpt2PageMode['mode'], { wallMs: number; cpuMs: number; threads: { name: string; cpuMs: number }[] }>;
}

const ms = (value: number): string => (value >= 100 ? value.toFixed(0) : value.toFixed(1));
const MODE_LABELS: Record<Gpt2PageMode['mode'], string> = {
  'heed-cache': 'heed, key/value cache',
  'heed-no-cache': 'heed, no cache (whole sequence every step)',
  'onnxruntime-web': 'onnxruntime-web, past key/values',
};

/** The BENCHMARKS.md block. */
function section(runs: PageRun[], torch: Gpt2TorchResult | string, context: { chromium: string; loadStart: string; loadEnd: string; options: Gpt2BenchOptions; prompt: number[]; parameters: string }): string {
  const { options } = context;
  const ok = runs.filter((run) => !run.result.error);
  const compared = ok.filter((run) => run.round > 0);
  const reference = ok.flatMap((run) => run.result.modes).find((mode) => mode.mode === 'heed-cache')?.ids;
  const same = (ids: number[]) => (reference === undefined ? '–' : ids.join() === reference.join() ? 'yes' : 'NO');
  /** Every timed generation of `mode` over all rounds, and the CPU of those pages. */
  const pooled = (mode: Gpt2PageMode['mode']) => {
    const entries = compared.flatMap((run) => run.result.modes.filter((entry) => entry.mode === mode).map((entry) => ({ run, entry })));
    const times = entries.flatMap(({ entry }) => entry.times);
    const cpuMs = entries.reduce((sum, { run }) => sum + (run.cpu.get(mode)?.cpuMs ?? 0), 0);
    const withCpu = entries.filter(({ run }) => run.cpu.has(mode)).reduce((sum, { entry }) => sum + entry.times.length, 0);
    return { times, median: times.length ? median(times) : NaN, cpuPerToken: withCpu ? cpuMs / 1000 / (withCpu * options.newTokens) : NaN, idsSame: entries.every(({ entry }) => same(entry.ids) === 'yes') };
  };
  const ort = pooled('onnxruntime-web');
  const rate = (medianMs: number) => options.newTokens / (medianMs / 1000);
  const lines = [
    '### In Chromium: heed with and without the cache against onnxruntime-web, cross-origin isolated',
    '',
    '`pnpm --filter @heed/models bench:gpt2 --chromium` (bench/gpt2-chromium.ts and its page bench/chromium/gpt2-page.ts, served and launched by bench/chromium-site.ts as `bench:hf --chromium` is; never part of the tests or CI). ' +
      `The same checkpoint, ${context.parameters} (heed's savePretrained folder) and PyTorch 1.13's torch.onnx export of it with past key/values, served to headless Chromium ${context.chromium} (Debian) with COOP/COEP, so every page is cross-origin isolated and both engines use threads. ` +
      `Greedy, an ${context.prompt.length}-token prompt, ${options.newTokens} new tokens, no stop token. Each engine runs in a fresh page, alternating heed and onnxruntime-web for ${options.rounds} round${options.rounds > 1 ? 's' : ''} (then, as a diagnostic outside the comparison, both on 1 thread): heed loads the folder with \`fromPretrained(url)\` and generates with \`gpt2Generate\` (its key/value cache, then \`useCache: false\`); onnxruntime-web fetches model.onnx, creates an InferenceSession (wasm EP, graph optimisation "all") and runs the Node bench's greedy loop, feeding the presents back as the pasts. ` +
      `*first* is the page's first generation (kernel set-up, JIT, allocations); the median pools the ${options.reps} timed generations after it of every round; tokens/s = new tokens ÷ the whole generation (prefill included). ` +
      `Both engines on ${options.threads} threads (heed: \`setSimdThreads\`, its Web Worker pool, and tfjs's own wasm threads; onnxruntime-web: \`env.wasm.numThreads\`). CPU s per token: every renderer thread's CPU time (/proc) during the timed generations ÷ their new tokens; *cores used*: that CPU time ÷ the wall time; the thread named chromium is the page's main thread, DedicatedWorker threads are Web Workers (heed's kernel pool, tfjs's and onnxruntime-web's pthreads).`,
    '',
    `Machine: ${cpuModel()} (model ${cpuModelNumber()}), ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, no GPU, ${new Date().toISOString().slice(0, 10)}; load average ${context.loadStart} at the start, ${context.loadEnd} at the end (1/5/15 min).`,
    '',
    '| page (Chromium, isolated) | details | start | weights load |',
    '|---|---|---|---|',
    ...runs.map(({ label, result }) => `| ${label} | ${result.error ? `failed: ${result.error.split('\n')[0]!.replace(/\|/g, '\\|').slice(0, 200)}` : result.details.replace(/\|/g, '\\|')} | ${ms(result.startMs)} ms | ${ms(result.loadMs)} ms |`),
    '',
    `| engine | round | first | median of ${options.newTokens} new tokens | runs | tokens/s | tokens/s ÷ onnxruntime-web's (same round; all rounds) | CPU s per token (all renderer threads) | cores used | busiest renderer threads (CPU s) | greedy ids = heed's |`,
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const mode of ['heed-cache', 'heed-no-cache', 'onnxruntime-web'] as const) {
    for (const run of ok) {
      const entry = run.result.modes.find((candidate) => candidate.mode === mode);
      if (!entry) continue;
      const cpu = run.cpu.get(mode);
      const cpuTotal = cpu?.cpuMs ?? NaN;
      const medianMs = median(entry.times);
      // against onnxruntime-web's page of the same round (the load of a shared machine drifts between rounds)
      const ortRound = ok.filter((candidate) => candidate.round === run.round).flatMap((candidate) => candidate.result.modes).find((candidate) => candidate.mode === 'onnxruntime-web');
      const ratio = ortRound ? `${(median(ortRound.times) / medianMs).toFixed(2)}x` : '–';
      const threads = cpu ? cpu.threads.slice(0, 4).map((thread) => `${thread.name} ${(thread.cpuMs / 1000).toFixed(1)}`).join(', ') : '–';
      lines.push(`| ${MODE_LABELS[mode]} | ${run.round > 0 ? run.round : '1 thread (diagnostic)'} | ${ms(entry.firstMs)} ms | ${ms(medianMs)} ms | ${entry.times.length} | ${rate(medianMs).toFixed(2)} | ${ratio} | ${cpu ? (cpuTotal / 1000 / (entry.times.length * options.newTokens)).toFixed(3) : '–'} | ${cpu ? (cpuTotal / cpu.wallMs).toFixed(2) : '–'} | ${threads} | ${same(entry.ids)} |`);
    }
    const all = pooled(mode);
    if (all.times.length) lines.push(`| **${MODE_LABELS[mode]}, all rounds** | | | **${ms(all.median)} ms** | ${all.times.length} | **${rate(all.median).toFixed(2)}** | **${ort.times.length ? `${(rate(all.median) / rate(ort.median)).toFixed(2)}x` : '–'}** | ${Number.isNaN(all.cpuPerToken) ? '–' : all.cpuPerToken.toFixed(3)} | | | ${all.idsSame ? 'yes' : 'NO'} |`);
  }
  const cached = pooled('heed-cache');
  const uncached = pooled('heed-no-cache');
  const facts: string[] = [];
  if (cached.times.length && uncached.times.length) facts.push(`the cache makes heed ${(uncached.median / cached.median).toFixed(2)}x faster at this length`);
  if (cached.times.length && ort.times.length) facts.push(`onnxruntime-web generates ${(cached.median / ort.median).toFixed(2)}x heed's cached rate`);
  if (!Number.isNaN(cached.cpuPerToken) && !Number.isNaN(ort.cpuPerToken)) facts.push(`heed's cached step costs ${(cached.cpuPerToken / ort.cpuPerToken).toFixed(2)}x onnxruntime-web's CPU per token`);
  const torchLine =
    typeof torch === 'string'
      ? `PyTorch did not run (${torch}).`
      : `PyTorch 1.13's greedy ids (its own past_key_values${torch.uncached_ids_equal ? ', and without them' : ''}) ${reference && torch.ids.join() === reference.join() ? 'equal' : 'DIFFER from'} heed's.`;
  lines.push('', `From the all-rounds medians: ${facts.join('; ') || 'not measured'}. ${torchLine}`);
  return lines.join('\n');
}

/** /proc/cpuinfo's "model" (the family's model number), or '?'. */
function cpuModelNumber(): string {
  try {
    return /^model\s*:\s*(\d+)/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? '?';
  } catch {
    return '?';
  }
}

/** Runs the Chromium benchmark and writes its BENCHMARKS.md block. */
export async function runGpt2ChromiumBench(options: Gpt2BenchOptions): Promise<void> {
  const skip = browserUnavailable();
  if (skip) return void console.warn(`bench:gpt2 --chromium: ${skip}`);
  const loadStart = loadAverage();
  const dir = mkdtempSync(join(tmpdir(), 'heed-gpt2-chromium-'));
  try {
    await initBackend({ backend: 'wasm' });
    await writeGpt2Checkpoint(dir, options.checkpoint);
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { vocab_size: number; n_layer: number; n_embd: number; n_head: number; n_positions: number };
    const prompt = gpt2BenchPrompt(config.vocab_size);
    // parameters of a GPT-2 with tied lm_head: wte, wpe, 12 per-layer blocks, ln_f
    const e = config.n_embd;
    const millions = (config.vocab_size * e + config.n_positions * e + config.n_layer * (12 * e * e + 13 * e) + 2 * e) / 1e6;
    const parameters = `${options.checkpoint ? `${options.checkpoint}` : 'a gpt2-small-shaped GPT2LMHeadModel with random weights (HF\'s initialization)'}: ${millions.toFixed(1)}M parameters, ${config.n_layer} layers, n_embd ${e}, ${config.n_head} heads, vocab ${config.vocab_size}`;
    console.log(`# GPT-2 greedy generation in Chromium, ${parameters}; prompt ${prompt.length} tokens, ${options.newTokens} new, ${options.reps} reps × ${options.rounds} rounds, ${options.threads} threads; load ${loadStart}`);
    const onnxPath = join(dir, 'model.onnx');
    const torch = runGpt2TorchPeer(dir, onnxPath, 0, options.newTokens, prompt);
    console.log(typeof torch === 'string' ? `PyTorch skipped (no ONNX export: onnxruntime-web pages will fail): ${torch}` : `PyTorch 1.13: ids ${torch.ids.slice(prompt.length).join(',')}, ONNX exported (load ${loadAverage()})`);
    const site = join(dir, 'site');
    await bundlePage(site, 'gpt2-page', 'heed GPT-2 generation benchmark');
    const { url, server } = await serveIsolated(dir, site);
    const browser = await launchChromium();
    const chromium = browser.version();
    const runs: PageRun[] = [];
    try {
      const pages: { engine: Gpt2PageRequest['engine']; round: number; threads: number }[] = [];
      for (let round = 1; round <= options.rounds; round++) for (const engine of ['heed', 'onnxruntime-web'] as const) pages.push({ engine, round, threads: options.threads });
      if (options.diagnose && options.threads > 1) for (const engine of ['heed', 'onnxruntime-web'] as const) pages.push({ engine, round: 0, threads: 1 });
      for (const { engine, round, threads } of pages) {
        const label = round > 0 ? `${engine}, wasm, round ${round}` : `${engine}, wasm, 1 thread (diagnostic)`;
        const request: Gpt2PageRequest = { engine, threads, prompt, newTokens: options.newTokens, reps: options.reps };
        const { result, errors, marks } = await runPage<Gpt2PageRequest, Gpt2PageResult>(browser, url, 'gpt2Bench', request);
        if (errors.length) result.error = [result.error, ...errors].filter(Boolean).join('; ');
        if (!result.crossOriginIsolated) result.error = [result.error, 'the page is not cross-origin isolated'].filter(Boolean).join('; ');
        const cpu: PageRun['cpu'] = new Map();
        for (const { mode } of result.modes) {
          const use = cpuBetween(marks, mode);
          if (use) cpu.set(mode, { ...use, cpuMs: use.threads.reduce((sum, thread) => sum + thread.cpuMs, 0) });
        }
        runs.push({ label, round, result, cpu });
        const modes = result.modes.map((entry) => `${entry.mode} first ${ms(entry.firstMs)} ms, median ${ms(median(entry.times))} ms (${entry.times.length}), ${(options.newTokens / (median(entry.times) / 1000)).toFixed(2)} tokens/s`).join('; ');
        console.log(`${label}: ${result.error ? `failed: ${result.error}` : modes} — ${result.details}; load ${result.loadMs.toFixed(0)} ms (load average ${loadAverage()})`);
      }
    } finally {
      await browser.close();
      server.close();
    }
    const markdown = section(runs, torch, { chromium, loadStart, loadEnd: loadAverage(), options, prompt, parameters });
    console.log(`\n${markdown}\n`);
    if (options.dry) return void console.log('bench:gpt2 --chromium: HEED_BENCH_DRY set, BENCHMARKS.md left as it is');
    const { writeBenchmarkSection } = (await import(pathToFileURL(join(REPO_ROOT, 'tooling', 'scripts', 'benchmarks-md.mjs')).href)) as { writeBenchmarkSection: (name: string, markdown: string) => void };
    writeBenchmarkSection('models-gpt2-chromium', markdown);
    console.log('bench:gpt2 --chromium: the models-gpt2-chromium block of BENCHMARKS.md is written');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
