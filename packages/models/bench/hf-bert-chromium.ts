/**
 * The Chromium half of `bench:hf` (`pnpm --filter @heed/models bench:hf --chromium`; never a test,
 * not in CI): the bert-base `BertForSequenceClassification` forward at sequence 128, batch 1 and 8,
 * in Debian's headless Chromium on a cross-origin isolated page (COOP/COEP), heed (tfjs wasm with
 * heed's SIMD kernels on its Web Worker pool; heed's webgpu on SwiftShader as an informative row)
 * against onnxruntime-web (wasm EP, the engine under transformers.js) with threads on, on the same
 * weights: heed's savePretrained folder, and PyTorch 1.13's torch.onnx export of it
 * (bert-base-checkpoint.ts). Every engine runs in a fresh page, one after the other in this run,
 * heed and onnxruntime-web alternating; first run separately, then medians. Writes the `models-hf-bert-chromium` block of BENCHMARKS.md
 * (inside the HF section) unless HEED_BENCH_DRY is set.
 *
 * Env: HEED_BENCH_REPS, HEED_BENCH_BATCHES (from bench:hf), HEED_BENCH_THREADS (both engines'
 * threads; default the cores), HEED_BENCH_ROUNDS (alternating heed / onnxruntime-web pages;
 * default 2), HEED_BENCH_WEBGPU=0 / HEED_BENCH_DIAGNOSE=0 skip those pages, HEED_CHROMIUM (the
 * browser binary).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { initBackend } from '@heed/backends';
import { browserUnavailable, launchChromium } from '@heed/browser-testing';
import { maxAbsDiff, median, SEQ } from './bert-bench-inputs';
import { loadAverage, runTorchPeer, writeBertBaseCheckpoint, type TorchPeerResult } from './bert-base-checkpoint';
import type { PageRequest, PageResult } from './chromium/hf-bert-page';
import { bundlePage, cpuBetween, cpuModel, REPO_ROOT, runPage, serveIsolated } from './chromium-site';

/** CPU time by renderer thread during one batch's timed runs. */
interface BatchCpu {
  batch: number;
  wallMs: number;
  threads: { name: string; cpuMs: number }[];
}

/** One page the runner opens: what it asks, and how the row is named. */
interface Step {
  label: string;
  request: PageRequest;
  /** Diagnostic rows are not the comparison (one thread, profile); informative rows are software GPUs. */
  kind: 'peer' | 'diagnostic' | 'informative';
  /** Peers: which round of alternating heed / onnxruntime-web pages. */
  round?: number;
}

const ms = (value: number): string => (value >= 100 ? value.toFixed(0) : value.toFixed(1));

/** The BENCHMARKS.md block: machine and load, the table with ratios to onnxruntime-web, goals, profile. */
function section(results: { step: Step; result: PageResult; cpu: BatchCpu[] }[], torch: TorchPeerResult | string, context: { chromium: string; loadStart: string; loadEnd: string; reps: number; rounds: number; threads: number }): string {
  const ok = results.filter(({ result }) => !result.error);
  const peerPages = (engine: PageRequest['engine']) => ok.filter(({ step }) => step.kind === 'peer' && step.request.engine === engine);
  const batchOf = (result: PageResult | undefined, batch: number) => result?.batches.find((entry) => entry.batch === batch);
  /** The median of every timed run of `engine` at `batch` over all rounds. */
  const pooled = (engine: PageRequest['engine'], batch: number) => {
    const times = peerPages(engine).flatMap(({ result }) => batchOf(result, batch)?.times ?? []);
    return times.length ? { medianMs: median(times), runs: times.length } : undefined;
  };
  const lines = [
    '### In Chromium: heed against onnxruntime-web, cross-origin isolated',
    '',
    '`pnpm --filter @heed/models bench:hf --chromium` (bench/hf-bert-chromium.ts and its page bench/chromium/hf-bert-page.ts; never part of the tests or CI; ~8 minutes on a quiet machine). ' +
      `The same bert-base checkpoint (heed's savePretrained folder) and its torch.onnx export, served to headless Chromium ${context.chromium} (Debian) with COOP/COEP, so every page is cross-origin isolated and both engines may use threads. ` +
      `Each engine runs in a fresh page, one after the other, alternating heed and onnxruntime-web for ${context.rounds} round${context.rounds > 1 ? 's' : ''} (the load of a shared machine drifts): heed loads the folder with \`fromPretrained(url)\`, onnxruntime-web fetches model.onnx and creates an InferenceSession (wasm execution provider, graph optimisation "all"). ` +
      `*first* is the first forward at that batch in the page (kernel set-up, wasm JIT, allocations); *median* the median of up to ${context.reps} runs after it; every run reads the logits back; *all rounds* pools the runs of every round. ` +
      `Both engines on ${context.threads} threads (heed: \`setSimdThreads\`, its Web Worker pool; onnxruntime-web: \`env.wasm.numThreads\`), both on the page's main thread.`,
    '',
    `Machine: ${cpuModel()}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, no GPU, ${new Date().toISOString().slice(0, 10)}; **shared with other helpers' builds, tests and training runs**: load average ${context.loadStart} at the start, ${context.loadEnd} at the end (1/5/15 min), so absolute times are slow and noisy and the ratios within this run are the comparison.`,
    '',
    '| page (Chromium, isolated) | details | start | weights load |',
    '|---|---|---|---|',
    ...results.map(({ step, result }) => `| ${step.label} | ${result.error ? `failed: ${result.error.split('\n')[0]!.replace(/\|/g, '\\|').slice(0, 200)}` : result.details.replace(/\|/g, '\\|')} | ${ms(result.startMs)} ms | ${ms(result.loadMs)} ms |`),
    '',
    '| batch × seq | engine | first | median | runs | time ÷ onnxruntime-web | max abs Δ logits vs heed wasm |',
    '|---|---|---|---|---|---|---|',
  ];
  const batches = [...new Set(ok.flatMap(({ result }) => result.batches.map((entry) => entry.batch)))].sort((a, b) => a - b);
  const goals: string[] = [];
  for (const batch of batches) {
    const reference = batchOf(peerPages('heed')[0]?.result, batch);
    const ortAll = pooled('onnxruntime-web', batch);
    const diffOf = (logits: readonly number[]) => (reference && logits !== reference.logits ? maxAbsDiff(reference.logits, logits).toExponential(1) : '');
    for (const { step, result } of ok) {
      const entry = batchOf(result, batch);
      if (!entry) continue;
      // a peer page against onnxruntime-web of its own round; the others against all rounds
      const ort = step.kind === 'peer' ? batchOf(peerPages('onnxruntime-web').find((page) => page.step.round === step.round)?.result, batch) : ortAll;
      // a page timed only once (webgpu on SwiftShader) compares its first run
      const time = entry.runs > 0 ? entry.medianMs : entry.firstMs;
      const ratio = ort ? `${(time / ort.medianMs).toFixed(2)}x${entry.runs > 0 ? '' : ' (first run)'}` : '–';
      lines.push(`| ${batch} × ${SEQ} | ${step.label} | ${ms(entry.firstMs)} ms | ${entry.runs > 0 ? `${ms(entry.medianMs)} ms` : '–'} | ${entry.runs} | ${ratio} | ${diffOf(entry.logits)} |`);
    }
    const heedAll = pooled('heed', batch);
    for (const [label, all] of [['heed, wasm', heedAll], ['onnxruntime-web, wasm', ortAll]] as const) {
      if (all && ortAll) lines.push(`| ${batch} × ${SEQ} | **${label}, all rounds** | | **${ms(all.medianMs)} ms** | ${all.runs} | **${(all.medianMs / ortAll.medianMs).toFixed(2)}x** | |`);
    }
    if (typeof torch !== 'string' && torch.times[String(batch)] !== undefined) {
      const time = torch.times[String(batch)]!;
      lines.push(`| ${batch} × ${SEQ} | PyTorch 1.13, 2 threads (Node, before the pages; not a browser) | | ${ms(time)} ms | ${context.reps} | ${ortAll ? `${(time / ortAll.medianMs).toFixed(2)}x` : '–'} | ${batch === batches[0] ? diffOf(torch.logits) : ''} |`);
    }
    if (heedAll && ortAll) {
      const ratio = heedAll.medianMs / ortAll.medianMs;
      goals.push(`batch ${batch}: heed takes ${ratio.toFixed(2)}x onnxruntime-web's time (#23 "faster than onnxruntime-web": ${ratio < 1 ? 'met' : 'not met'}; #25 "≤ 0.6x": ${ratio <= 0.6 ? 'met' : 'not met'})`);
    } else goals.push(`batch ${batch}: not measured`);
  }
  lines.push('', `Goals, from the all-rounds medians: ${goals.join('; ')}.`);
  const withCpu = ok.filter(({ cpu }) => cpu.length);
  if (withCpu.length) {
    lines.push(
      '',
      "CPU time by renderer thread during each page's timed runs (/proc of the renderer process; the thread named chromium is the page's main thread, DedicatedWorker threads are Web Workers: heed's kernel pool, tfjs's and onnxruntime-web's pthreads). *cores used* is all threads' CPU time over the wall time:",
      '',
      '| page | batch | wall | threads (CPU ms, busiest first) | cores used |',
      '|---|---|---|---|---|',
    );
    for (const { step, cpu } of withCpu) {
      for (const entry of cpu) {
        const total = entry.threads.reduce((sum, thread) => sum + thread.cpuMs, 0);
        lines.push(`| ${step.label} | ${entry.batch} | ${ms(entry.wallMs)} ms | ${entry.threads.slice(0, 5).map((thread) => `${thread.name} ${ms(thread.cpuMs)}`).join(', ')} | ${(total / entry.wallMs).toFixed(2)} |`);
      }
    }
  }
  const profiled = ok.find(({ result }) => result.batches.some((entry) => entry.kernels));
  if (profiled) {
    for (const entry of profiled.result.batches.filter((candidate) => candidate.kernels)) {
      const total = entry.kernels!.reduce((sum, [, time]) => sum + time, 0);
      lines.push('', `Where heed's time goes (${profiled.step.label}, batch ${entry.batch}, one forward under \`tf.profile\`, ${ms(total)} ms of kernels; profiling adds overhead):`, '', '| tfjs kernel | ms | share | calls |', '|---|---|---|---|');
      for (const [name, time, calls] of entry.kernels!.slice(0, 8)) lines.push(`| ${name} | ${ms(time)} | ${((100 * time) / total).toFixed(0)}% | ${calls} |`);
    }
    const pool = profiled.result.poolCheck;
    if (pool?.length) {
      const single = pool.find((entry) => entry.threads === 1);
      lines.push(
        '',
        `Thread use in the isolated page (same page, after the forward): tf.matMul 1024³ on heed's kernels, ${pool.map((entry) => `${entry.threads} thread${entry.threads > 1 ? 's' : ''} ${ms(entry.medianMs)} ms (${entry.gflops.toFixed(1)} GFLOP/s)`).join(', ')}` +
          `${single && pool.length > 1 ? `: ${(single.medianMs / pool.at(-1)!.medianMs).toFixed(2)}x from the Web Worker pool` : ''} (medians of 5 alternated runs).`,
      );
    }
  }
  return lines.join('\n');
}

/** Runs the Chromium benchmark and writes its BENCHMARKS.md block. */
export async function runChromiumBench({ reps, batches }: { reps: number; batches: number[] }): Promise<void> {
  const skip = browserUnavailable();
  if (skip) return void console.warn(`bench:hf --chromium: ${skip}`);
  const loadStart = loadAverage();
  const threads = Number(process.env.HEED_BENCH_THREADS ?? cpus().length);
  const rounds = Number(process.env.HEED_BENCH_ROUNDS ?? 2);
  console.log(`# bert-base forward in Chromium, seq ${SEQ}, batches ${batches.join(',')}, ${reps} reps, ${threads} threads; load ${loadStart}`);
  const dir = mkdtempSync(join(tmpdir(), 'heed-hf-chromium-'));
  try {
    await initBackend({ backend: 'wasm' });
    const { model } = await writeBertBaseCheckpoint(dir);
    model.dispose();
    const torch = runTorchPeer(dir, join(dir, 'model.onnx'), reps, batches);
    console.log(typeof torch === 'string' ? `PyTorch skipped (no ONNX export): ${torch}` : `PyTorch 1.13: ${JSON.stringify(torch.times)} (load ${loadAverage()})`);
    const site = join(dir, 'site');
    await bundlePage(site, 'hf-bert-page', 'heed bert-base benchmark');
    const { url, server } = await serveIsolated(dir, site);
    const browser = await launchChromium({ webgpu: true });
    const results: { step: Step; result: PageResult; cpu: BatchCpu[] }[] = [];
    const chromium = browser.version();
    try {
      const first = batches.slice(0, 1);
      const steps: Step[] = [];
      for (let round = 1; round <= rounds; round++) {
        steps.push(
          { label: `heed, wasm, round ${round}`, kind: 'peer', round, request: { engine: 'heed', threads, batches, reps } },
          { label: `onnxruntime-web, wasm, round ${round}`, kind: 'peer', round, request: { engine: 'onnxruntime-web', threads, batches, reps } },
        );
      }
      if (process.env.HEED_BENCH_DIAGNOSE !== '0') {
        steps.push(
          { label: 'heed, wasm, profiled', kind: 'diagnostic', request: { engine: 'heed', threads, batches: first, reps: 1, profile: true } },
          { label: 'heed, wasm, 1 thread', kind: 'diagnostic', request: { engine: 'heed', threads: 1, batches: first, reps } },
          { label: "heed, wasm, tfjs's own threads off", kind: 'diagnostic', request: { engine: 'heed', threads, tfjsThreads: false, batches, reps } },
          { label: 'onnxruntime-web, wasm, 1 thread', kind: 'diagnostic', request: { engine: 'onnxruntime-web', threads: 1, batches: first, reps } },
        );
      }
      if (process.env.HEED_BENCH_WEBGPU !== '0') steps.push({ label: 'heed, webgpu (SwiftShader, software)', kind: 'informative', request: { engine: 'heed', backend: 'webgpu', batches: first, reps: 0 } });
      for (const step of steps) {
        const { result, errors, marks } = await runPage<PageRequest, PageResult>(browser, url, 'hfBertBench', step.request);
        if (errors.length) result.error = [result.error, ...errors].filter(Boolean).join('; ');
        const cpu: BatchCpu[] = result.batches.flatMap(({ batch, runs }) => {
          const use = runs === 0 ? undefined : cpuBetween(marks, String(batch));
          return use ? [{ batch, ...use }] : [];
        });
        results.push({ step, result, cpu });
        const pool = result.poolCheck ? `; matMul 1024³ ${result.poolCheck.map((entry) => `${entry.threads} threads ${ms(entry.medianMs)} ms`).join(', ')}` : '';
        console.log(`${step.label}: ${result.error ? `failed: ${result.error}` : result.batches.map((entry) => `batch ${entry.batch} first ${ms(entry.firstMs)} ms, median ${ms(entry.medianMs)} ms (${entry.runs})`).join('; ')}${pool} — ${result.details} (load ${loadAverage()})`);
      }
    } finally {
      await browser.close();
      server.close();
    }
    const markdown = section(results, torch, { chromium, loadStart, loadEnd: loadAverage(), reps, rounds, threads });
    console.log(`\n${markdown}\n`);
    if (process.env.HEED_BENCH_DRY) return void console.log('bench:hf --chromium: HEED_BENCH_DRY set, BENCHMARKS.md left as it is');
    const { writeBenchmarkSection } = (await import(pathToFileURL(join(REPO_ROOT, 'tooling', 'scripts', 'benchmarks-md.mjs')).href)) as { writeBenchmarkSection: (name: string, markdown: string) => void };
    writeBenchmarkSection('models-hf-bert-chromium', markdown);
    console.log('bench:hf --chromium: the models-hf-bert-chromium block of BENCHMARKS.md is written');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
