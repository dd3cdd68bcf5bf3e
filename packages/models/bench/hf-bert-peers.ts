/**
 * bert-base (12 layers, hidden 768, 12 heads, FF 3072, vocab 30522; random weights, seed 1)
 * `BertForSequenceClassification` forward at sequence 128, batch 1 and 8: heed on the wasm backend
 * (heed's SIMD kernels, the relaxed build when the engine accepts it) against PyTorch 1.13
 * (hf_bert_peer.py on the same model.safetensors, written by heed's savePretrained) and
 * onnxruntime-node / onnxruntime-web on the same weights exported with torch.onnx. All peers run in
 * this one process's run; medians of a few repeats. A benchmark, never a test (not in CI):
 *
 *   pnpm --filter @heed/models bench:hf              # Node: heed wasm, PyTorch, onnxruntime-node/-web
 *   pnpm --filter @heed/models bench:hf --chromium   # headless Chromium: hf-bert-chromium.ts
 *
 * Env: HEED_BENCH_REPS (default 3), HEED_BENCH_BATCHES (default "1,8").
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@heed/backends';
import { benchIds as ids, maxAbsDiff, medianMs, SEQ } from './bert-bench-inputs';
import { loadAverage as load, runTorchPeer, writeBertBaseCheckpoint } from './bert-base-checkpoint';

const reps = Number(process.env.HEED_BENCH_REPS ?? 3);
const batches = (process.env.HEED_BENCH_BATCHES ?? '1,8').split(',').map(Number);
const here = fileURLToPath(new URL('.', import.meta.url));
/** The part of onnxruntime-node / onnxruntime-web this benchmark uses (they are @heed/backends' devDependencies). */
interface Ort {
  env: { wasm?: { numThreads?: number } };
  Tensor: new (type: 'int64', data: BigInt64Array, dims: number[]) => unknown;
  InferenceSession: { create(model: Uint8Array, options: object): Promise<{ run(feeds: Record<string, unknown>): Promise<Record<string, { data: unknown }>>; release(): Promise<void> }> };
}

if (process.argv.includes('--chromium')) {
  const { runChromiumBench } = await import('./hf-bert-chromium');
  await runChromiumBench({ reps, batches });
} else await runNodeBench();

async function runNodeBench(): Promise<void> {
  const report = await initBackend({ backend: 'wasm' });
  const simd = report.simdKernels ? `${report.simdKernels.build} SIMD kernels, ${report.simdKernels.threads} threads` : 'no SIMD kernels';
  console.log(`# bert-base forward, seq ${SEQ}, batches ${batches.join(',')}, ${reps} reps; backend ${tf.getBackend()} (${simd}); load ${load()}`);

  const dir = mkdtempSync(join(tmpdir(), 'heed-hf-bench-'));
  const { model, config } = await writeBertBaseCheckpoint(dir);
  let memory: string;
  const rows: { batch: number; peer: string; ms: number; diff?: number }[] = [];
  try {
    const fileBytes = statSync(join(dir, 'model.safetensors')).size;
    const child = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'hf-bert-load-memory.ts'), dir], { encoding: 'utf8', cwd: join(here, '..') });
    if (child.status === 0) {
      const mem = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { before: number; peak: number; after: number; ms: number };
      const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
      memory = `fromPretrained of the ${mb(fileBytes)} model.safetensors (wasm, child process): peak RSS ${mb(mem.peak)} over ${mb(mem.before)} before the load = +${mb(mem.peak - mem.before)} (${((mem.peak - mem.before) / fileBytes).toFixed(2)}x the file), ${mb(mem.after - mem.before)} held once loaded, ${(mem.ms / 1000).toFixed(1)} s`;
    } else memory = `load memory skipped: ${child.stderr.trim().split('\n').at(-1)}`;
    console.log(memory);
    const onnxPath = join(dir, 'model.onnx');

    // heed, wasm
    const heedLogits: Record<number, Float32Array> = {};
    for (const batch of batches) {
      const inputs = () => ({ input_ids: tf.tensor2d(ids(batch, config.vocab_size), [batch, SEQ], 'int32'), attention_mask: tf.ones([batch, SEQ], 'int32') as tf.Tensor2D, token_type_ids: tf.zeros([batch, SEQ], 'int32') as tf.Tensor2D });
      const run = async () => {
        const before = tf.memory().numTensors;
        const logits = tf.tidy(() => model.forward(inputs()).logits!);
        const data = (await logits.data()) as Float32Array;
        logits.dispose();
        if (tf.memory().numTensors !== before) throw new Error(`leak: ${tf.memory().numTensors - before} tensors`);
        return data;
      };
      heedLogits[batch] = await run();
      rows.push({ batch, peer: `heed wasm (${simd})`, ms: await medianMs(run, reps) });
      console.log(`heed batch ${batch}: ${rows.at(-1)!.ms.toFixed(1)} ms (load ${load()})`);
    }

    // PyTorch (and the ONNX export)
    const torch = runTorchPeer(dir, onnxPath, reps, batches);
    if (typeof torch !== 'string') {
      const diff = maxAbsDiff(heedLogits[batches[0]!]!, torch.logits);
      for (const batch of batches) rows.push({ batch, peer: 'PyTorch 1.13 (2 threads)', ms: torch.times[String(batch)]!, diff: batch === batches[0] ? diff : undefined });
      console.log(`torch: ${JSON.stringify(torch.times)}, max |Δ logits| vs heed ${diff.toExponential(2)} (load ${load()})`);
    } else console.log(`PyTorch skipped: ${torch}`);

    // onnxruntime-node / -web (devDependencies of @heed/backends)
    if (existsSync(onnxPath)) {
      const require = createRequire(new URL('../../backends/package.json', import.meta.url));
      const peers: [string, string, Record<string, unknown>][] = [
        ['onnxruntime-node 1.30 (2 threads)', 'onnxruntime-node', { intraOpNumThreads: 2, interOpNumThreads: 1 }],
        ['onnxruntime-web 1.30 (wasm, 1 thread)', 'onnxruntime-web', { executionProviders: ['wasm'] }],
      ];
      for (const [name, pkg, options] of peers) {
        try {
          const ort = (await import(require.resolve(pkg))) as Ort;
          if (pkg === 'onnxruntime-web' && ort.env.wasm) ort.env.wasm.numThreads = 1;
          const session = await ort.InferenceSession.create(readFileSync(onnxPath), options);
          for (const batch of batches) {
            const flat = ids(batch, config.vocab_size).flat();
            const feeds = {
              input_ids: new ort.Tensor('int64', BigInt64Array.from(flat, BigInt), [batch, SEQ]),
              attention_mask: new ort.Tensor('int64', new BigInt64Array(batch * SEQ).fill(1n), [batch, SEQ]),
              token_type_ids: new ort.Tensor('int64', new BigInt64Array(batch * SEQ), [batch, SEQ]),
            };
            const logits = (await session.run(feeds)).logits!.data as Float32Array;
            const ms = await medianMs(() => session.run(feeds), reps);
            rows.push({ batch, peer: name, ms, diff: maxAbsDiff(heedLogits[batch]!, logits) });
            console.log(`${name} batch ${batch}: ${ms.toFixed(1)} ms (load ${load()})`);
          }
          await session.release();
        } catch (error) {
          console.log(`${name} skipped: ${(error as Error).message.split('\n')[0]}`);
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    model.dispose();
  }

  console.log(`\nload average at the end: ${load()}\n${memory}\n`);
  console.log('| batch × seq | peer | median | heed time ÷ peer time | max abs Δ logits vs heed |');
  console.log('|---|---|---|---|---|');
  for (const row of rows) {
    const heed = rows.find((r) => r.batch === row.batch && r.peer.startsWith('heed'))!;
    console.log(`| ${row.batch} × ${SEQ} | ${row.peer} | ${row.ms.toFixed(1)} ms | ${row.peer.startsWith('heed') ? '1.0x' : `${(heed.ms / row.ms).toFixed(1)}x`} | ${row.diff === undefined ? '' : row.diff.toExponential(1)} |`);
  }
}
