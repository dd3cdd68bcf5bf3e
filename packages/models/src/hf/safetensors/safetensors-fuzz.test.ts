import { describe, expect, it } from 'vitest';
import { SeededRandom } from '@heed/training';
import { bytesSource } from './byte-source';
import { SafetensorsError } from './safetensors-error';
import { SafetensorsReader } from './safetensors-reader';
import { safetensorsBytes } from './serialize-safetensors';
import { ShardedSafetensorsReader } from './sharded-safetensors';

/** Opens and reads every tensor; returns 'ok', or the error's class name. */
async function readAll(bytes: Uint8Array): Promise<string> {
  try {
    const reader = await SafetensorsReader.open(bytesSource(bytes, 'fuzz.safetensors'));
    for await (const tensor of reader.tensors()) void tensor.data.length;
    return 'ok';
  } catch (error) {
    return error instanceof SafetensorsError ? 'SafetensorsError' : `${(error as Error).name}: ${(error as Error).message}`;
  }
}

describe('safetensors fuzz (seeded)', () => {
  it('a corrupted header or data only ever reads or throws SafetensorsError', async () => {
    const valid = await safetensorsBytes({
      'embeddings.word_embeddings.weight': { shape: [5, 4], data: Float32Array.from({ length: 20 }, (_, i) => i / 7) },
      'embeddings.LayerNorm.weight': { shape: [4], data: new Float32Array([1, 1, 1, 1]), dtype: 'F16' },
      'pooler.dense.bias': { shape: [4], data: new Float32Array(4), dtype: 'BF16' },
      'embeddings.position_ids': { shape: [1, 2], bytes: new Uint8Array(16), dtype: 'I64' },
    }, { format: 'pt' });
    const headerEnd = 8 + Number(new DataView(valid.buffer).getBigUint64(0, true));
    const random = new SeededRandom(20261207);
    const outcomes = new Map<string, number>();
    const started = performance.now();
    const printable = ' {}[]",:0123456789-.eEabcdefFIUBOL_'.split('');
    for (let trial = 0; trial < 3000; trial += 1) {
      let bytes = valid.slice();
      const kind = random.int(6);
      if (kind === 0) bytes = bytes.subarray(0, random.int(bytes.byteLength)); // truncate
      else if (kind === 1) bytes[random.int(8)] = random.int(256); // header length
      else if (kind === 2) { // flip bytes anywhere in the header
        for (let flips = 1 + random.int(4); flips > 0; flips -= 1) bytes[8 + random.int(headerEnd - 8)] = random.int(256);
      } else if (kind === 3) { // JSON-looking noise in the header
        for (let flips = 1 + random.int(6); flips > 0; flips -= 1) bytes[8 + random.int(headerEnd - 8)] = printable[random.int(printable.length)]!.charCodeAt(0);
      } else if (kind === 4) bytes[headerEnd + random.int(bytes.byteLength - headerEnd)] = random.int(256); // data
      else { // appended garbage
        const longer = new Uint8Array(bytes.byteLength + 1 + random.int(16));
        longer.set(bytes);
        bytes = longer;
      }
      const outcome = await readAll(bytes);
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    expect([...outcomes.keys()].filter((outcome) => outcome !== 'ok' && outcome !== 'SafetensorsError')).toEqual([]);
    expect(outcomes.get('SafetensorsError')).toBeGreaterThan(1000);
    expect(outcomes.get('ok')).toBeGreaterThan(100); // data-byte flips and harmless header flips still read
    expect(performance.now() - started).toBeLessThan(20_000); // nothing hangs (3000 trials take well under a second)
  });

  it('a corrupted index only ever opens or throws SafetensorsError', async () => {
    const shard = await safetensorsBytes({ a: { shape: [1], data: new Float32Array(1) } });
    const index = '{"metadata":{"total_size":4},"weight_map":{"a":"model-00001-of-00001.safetensors"}}';
    const random = new SeededRandom(7);
    for (let trial = 0; trial < 500; trial += 1) {
      const chars = index.split('');
      for (let flips = 1 + random.int(3); flips > 0; flips -= 1) chars[random.int(chars.length)] = String.fromCharCode(32 + random.int(95));
      const outcome = await ShardedSafetensorsReader.open(chars.join(''), async (name) => {
        if (name !== 'model-00001-of-00001.safetensors') throw new SafetensorsError(name, 'no such shard');
        return bytesSource(shard, name);
      }).then(() => 'ok', (error: unknown) => (error instanceof SafetensorsError ? 'SafetensorsError' : String(error)));
      expect(['ok', 'SafetensorsError']).toContain(outcome);
    }
  });
});
