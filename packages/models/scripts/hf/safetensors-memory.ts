/**
 * Measures the extra memory of loading a bert-base-sized safetensors file (110M parameters,
 * F32, ~440 MB) with heed's reader: a child process opens the file, reads every tensor and keeps
 * it (as a model load does), and reports its peak resident memory (VmHWM) over its resident
 * memory before the load. A second run reads tensor by tensor without keeping them (as an upload
 * to GPU tensors does). Not a test: run by hand and record the numbers in the models README.
 *
 *   tsx packages/models/scripts/hf/safetensors-memory.ts [--dtype F32|F16|BF16] [--keep-file PATH]
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SafetensorsReader } from '../../src/hf/safetensors/safetensors-reader';
import { fileByteSource, writeSafetensorsNode } from '../../src/hf/safetensors/safetensors-node';
import type { LazyTensorToWrite, TensorToWrite } from '../../src/hf/safetensors/serialize-safetensors';

const kib = (field: string) => Number(/(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8').split('\n').find((line) => line.startsWith(field)) ?? '')?.[1] ?? NaN) * 1024;

function bertBaseShapes(): [string, number[]][] {
  const hidden = 768;
  const shapes: [string, number[]][] = [
    ['bert.embeddings.word_embeddings.weight', [30522, hidden]],
    ['bert.embeddings.position_embeddings.weight', [512, hidden]],
    ['bert.embeddings.token_type_embeddings.weight', [2, hidden]],
    ['bert.embeddings.LayerNorm.weight', [hidden]], ['bert.embeddings.LayerNorm.bias', [hidden]],
  ];
  for (let layer = 0; layer < 12; layer += 1) {
    const prefix = `bert.encoder.layer.${layer}`;
    for (const name of ['attention.self.query', 'attention.self.key', 'attention.self.value', 'attention.output.dense']) {
      shapes.push([`${prefix}.${name}.weight`, [hidden, hidden]], [`${prefix}.${name}.bias`, [hidden]]);
    }
    shapes.push(
      [`${prefix}.attention.output.LayerNorm.weight`, [hidden]], [`${prefix}.attention.output.LayerNorm.bias`, [hidden]],
      [`${prefix}.intermediate.dense.weight`, [3072, hidden]], [`${prefix}.intermediate.dense.bias`, [3072]],
      [`${prefix}.output.dense.weight`, [hidden, 3072]], [`${prefix}.output.dense.bias`, [hidden]],
      [`${prefix}.output.LayerNorm.weight`, [hidden]], [`${prefix}.output.LayerNorm.bias`, [hidden]],
    );
  }
  shapes.push(['bert.pooler.dense.weight', [hidden, hidden]], ['bert.pooler.dense.bias', [hidden]]);
  return shapes;
}

async function child(path: string, keep: boolean): Promise<void> {
  const before = kib('VmRSS:');
  const reader = await SafetensorsReader.open(await fileByteSource(path));
  const kept: unknown[] = [];
  let bytes = 0;
  for await (const tensor of reader.tensors({ skipIntegers: true })) {
    bytes += tensor.data.byteLength;
    if (keep) kept.push(tensor);
  }
  await reader.close();
  const peak = kib('VmHWM:');
  console.log(JSON.stringify({ before, peak, extra: peak - before, decodedBytes: bytes, kept: kept.length }));
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') return child(args[1]!, args[2] === 'keep');
  const dtype = (args[args.indexOf('--dtype') + 1] ?? 'F32') as 'F32' | 'F16' | 'BF16';
  const path = join(tmpdir(), `heed-bert-base-${dtype}.safetensors`);
  const tensors: Record<string, TensorToWrite | LazyTensorToWrite> = {};
  let seed = 1;
  for (const [name, shape] of bertBaseShapes()) {
    const count = shape.reduce((a, b) => a * b, 1);
    tensors[name] = { shape, dtype: args.includes('--dtype') ? dtype : 'F32', load: () => Float32Array.from({ length: count }, () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 0.04) };
  }
  tensors['bert.embeddings.position_ids'] = { shape: [1, 512], bytes: new Uint8Array(new BigInt64Array(512).map((_, i) => BigInt(i)).buffer), dtype: 'I64' };
  await writeSafetensorsNode(path, tensors);
  const size = statSync(path).size;
  const script = fileURLToPath(import.meta.url);
  for (const mode of ['keep', 'stream']) {
    const run = spawnSync(process.execPath, [...process.execArgv, script, '--child', path, mode], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(run.stderr);
    const result = JSON.parse(run.stdout.trim().split('\n').pop()!) as { extra: number; decodedBytes: number };
    console.log(`${dtype} file ${(size / 1e6).toFixed(1)} MB, ${mode === 'keep' ? 'every tensor kept' : 'tensor by tensor, none kept'}: peak extra RSS ${(result.extra / 1e6).toFixed(1)} MB = ${(result.extra / size).toFixed(3)}x the file (decoded float32 ${(result.decodedBytes / 1e6).toFixed(1)} MB)`);
  }
  if (!args.includes('--keep-file')) rmSync(path);
}

await main();
