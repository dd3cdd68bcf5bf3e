import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFileHandler } from '@heed/backends';
import { describeBackends, expectNoLeaks } from '@heed/backends/testing';
import { describe, expect, it } from 'vitest';
import { Seq2Seq } from './seq2seq';
import { SEQ2SEQ_ATTENTIONS, type Seq2SeqConfig } from './seq2seq-config';

const tiny = (attention: Seq2SeqConfig['attention']): Seq2SeqConfig => ({
  sourceVocabSize: 12,
  targetVocabSize: 9,
  attention,
  embeddingDim: 8,
  encoderUnits: 6,
  attentionUnits: 5,
  numLayers: 2,
  numHeads: 2,
  intermediateDim: 16,
  localWindow: 2,
  dropout: 0.1,
  maxSourceLength: 10,
  maxTargetLength: 6,
  seed: 3,
});

// Sources with padding (id 0) at the end of rows 1 and 2; targets bos=2 … eos=3.
const SOURCE = [
  [4, 5, 6, 7, 8],
  [9, 10],
  [11, 4, 5],
];
const TARGET = [
  [2, 4, 5, 6, 3],
  [2, 7, 3],
  [2, 8, 8, 3],
];

describe('Seq2Seq config', () => {
  it('round-trips getConfig through JSON', () => {
    for (const attention of SEQ2SEQ_ATTENTIONS) {
      const model = new Seq2Seq(tiny(attention));
      const copy = new Seq2Seq(JSON.parse(JSON.stringify(model.getConfig())) as Seq2SeqConfig);
      expect(copy.getConfig()).toEqual(model.getConfig());
      expect(copy.countParams()).toBe(model.countParams());
      expect([...copy.weights.variables.keys()]).toEqual([...model.weights.variables.keys()]);
      model.dispose();
      copy.dispose();
    }
  });

  it('builds a BiGRU encoder variant with the same output shapes', async () => {
    const model = new Seq2Seq({ ...tiny('luong-general'), encoderCell: 'gru' });
    expect([...model.weights.variables.keys()]).toContain('encoder/forward/recurrent_kernel');
    expect(model.weights.variables.get('encoder/forward/kernel')!.shape).toEqual([8, 18]); // 3 gates × 6 units
    await expectNoLeaks(async () => {
      const { logits, attention } = model.forward(SOURCE, TARGET, true);
      expect(logits.shape).toEqual([3, 4, 9]);
      expect(attention.shape).toEqual([3, 1, 4, 5]);
      tf.dispose([logits, attention]);
      const results = await model.generate(SOURCE, { beamSize: 2, maxLength: 3 });
      expect(results).toHaveLength(3);
    }, 'gru forward');
    model.dispose();
  });

  it('rejects bad configs naming the field', () => {
    expect(() => new Seq2Seq({ ...tiny('bahdanau'), attention: 'nope' as never })).toThrow(/config.attention must be one of .*got "nope"/);
    expect(() => new Seq2Seq({ ...tiny('luong-dot'), decoderUnits: 7 })).toThrow(/luong-dot needs decoderUnits = 2·encoderUnits/);
    expect(() => new Seq2Seq({ ...tiny('transformer'), numHeads: 3 })).toThrow(/numHeads 3 must divide embeddingDim 8/);
    expect(() => new Seq2Seq({ ...tiny('bahdanau'), sourceVocabSize: 0 })).toThrow(/sourceVocabSize must be a positive integer; got 0/);
  });
});

await describeBackends(
  ['cpu', 'wasm', 'webgpu'],
  () => {
    describe.each(SEQ2SEQ_ATTENTIONS)('%s', (attention) => {
      it('gives logits (batch, T − 1, V) and attention (batch, A, T − 1, S) with zero weight on padding', async () => {
        const model = new Seq2Seq(tiny(attention));
        const heads = attention === 'transformer' ? 4 : 1;
        await expectNoLeaks(async () => {
          const { logits, attention: weights } = model.forward(SOURCE, TARGET);
          expect(logits.shape).toEqual([3, 4, 9]);
          expect(weights.shape).toEqual([3, heads, 4, 5]);
          const values = (await weights.array()) as number[][][][];
          for (const [row, length] of [[1, 2], [2, 3]] as const) {
            for (const head of values[row]!) {
              for (const step of head) {
                for (let s = length; s < 5; s++) expect(step[s]).toBe(0);
                const total = step.reduce((a, b) => a + b, 0);
                // local-p multiplies the softmax by a Gaussian around pₜ (Luong eq. 10), so its rows sum to ≤ 1.
                if (attention === 'local-p') expect(total).toBeLessThanOrEqual(1 + 1e-6);
                else expect(total).toBeCloseTo(1, 4);
              }
            }
          }
          tf.dispose([logits, weights]);
        }, `${attention} forward`);
        model.dispose();
      });

      it('greedy equals beam search with beam 1; beam results are batched and trimmed to the source', async () => {
        const model = new Seq2Seq(tiny(attention));
        const optimizer = tf.train.adam(0.01);
        for (let i = 0; i < 3; i++) optimizer.minimize(() => model.loss(SOURCE, TARGET));
        const greedy = await expectNoLeaks(() => model.generate(SOURCE), `${attention} greedy`);
        const beam1 = await expectNoLeaks(() => model.generate(SOURCE, { beamSize: 1 }), `${attention} beam 1`);
        const beamAsGreedy = await model.generate(SOURCE, { beamSize: 1, lengthPenalty: 0 });
        expect(beam1.map((r) => r.tokens)).toEqual(greedy.map((r) => r.tokens));
        const beam3 = await expectNoLeaks(() => model.generate(SOURCE, { beamSize: 3, maxLength: 4 }), `${attention} beam 3`);
        expect(beam3).toHaveLength(3);
        beam3.forEach((result, row) => {
          expect(result.tokens.length).toBeLessThanOrEqual(4);
          expect(result.alignment).toHaveLength(attention === 'transformer' ? 4 : 1);
          expect(result.alignment[0]![0]).toHaveLength(SOURCE[row]!.length);
          expect(result.alignment[0]).toHaveLength(result.tokens.length + (result.finished ? 1 : 0));
        });
        expect(beamAsGreedy.map((r) => r.logProb)).toEqual(greedy.map((r) => r.logProb));
        optimizer.dispose();
        model.dispose();
      });
    });
  },
  { skip: { webgpu: 'webgpu in Node runs on a slow software adapter; the model code is backend-independent tfjs ops covered on cpu and wasm' } },
);

describe('Seq2Seq save and load', () => {
  it.each(SEQ2SEQ_ATTENTIONS)('%s: save → load through file:// gives identical outputs', async (attention) => {
    const dir = mkdtempSync(join(tmpdir(), `heed-seq2seq-${attention}-`));
    const model = new Seq2Seq(tiny(attention));
    const optimizer = tf.train.adam(0.01);
    optimizer.minimize(() => model.loss(SOURCE, TARGET));
    await model.save(`file://${dir}`);
    const loaded = await Seq2Seq.load(`file://${dir}`);
    expect(loaded.getConfig()).toEqual(model.getConfig());
    const [a, b] = [model.forward(SOURCE, TARGET).logits, loaded.forward(SOURCE, TARGET).logits];
    expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
    expect(await loaded.generate(SOURCE, { beamSize: 2 })).toEqual(await model.generate(SOURCE, { beamSize: 2 }));
    tf.dispose([a, b]);
    optimizer.dispose();
    model.dispose();
    loaded.dispose();
  });

  it('saves the vocabularies with the model', async () => {
    const { buildCharLevelTokenizer } = await import('@heed/tokenizers');
    const source = buildCharLevelTokenizer(['abc']);
    const target = buildCharLevelTokenizer(['xyz']);
    const dir = mkdtempSync(join(tmpdir(), 'heed-seq2seq-vocab-'));
    const model = new Seq2Seq(tiny('bahdanau'), { source, target });
    await model.save(`file://${dir}`);
    const loaded = await Seq2Seq.load(`file://${dir}`);
    expect(loaded.vocabularies?.source.encode('cab').ids).toEqual(source.encode('cab').ids);
    expect(loaded.vocabularies?.target.toJSON()).toEqual(target.toJSON());
    model.dispose();
    loaded.dispose();
  });

  it('names the file and the mismatch for corrupted or mismatched weights', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heed-seq2seq-bad-'));
    const model = new Seq2Seq(tiny('bahdanau'));
    await model.save(`file://${dir}`);
    expect(readdirSync(dir).sort()).toEqual(['config.json', 'model.safetensors']);
    const weights = readFileSync(join(dir, 'model.safetensors'));
    writeFileSync(join(dir, 'model.safetensors'), weights.subarray(0, weights.length - 8));
    await expect(Seq2Seq.load(`file://${dir}`)).rejects.toThrow(`Seq2Seq.load: ${dir}/model.safetensors`);
    writeFileSync(join(dir, 'model.safetensors'), weights);
    const json = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { config: Seq2SeqConfig };
    json.config.attention = 'luong-general';
    writeFileSync(join(dir, 'config.json'), JSON.stringify(json));
    await expect(Seq2Seq.load(`file://${dir}`)).rejects.toThrow(new RegExp(`${dir}/model.safetensors does not hold the weights its config describes \\(missing: .*; unexpected: decoder/attention`));
    await expect(Seq2Seq.load(`file://${join(dir, 'absent')}`)).rejects.toThrow(/cannot read .*absent\/config.json or the legacy .*absent\/model.json/);
    // The legacy layout (a tf.io handler writes it) keeps its checks.
    const legacy = mkdtempSync(join(tmpdir(), 'heed-seq2seq-legacy-'));
    await model.save(nodeFileHandler(legacy));
    const bin = readFileSync(join(legacy, 'weights.bin'));
    writeFileSync(join(legacy, 'weights.bin'), bin.subarray(0, bin.length - 8));
    await expect(Seq2Seq.load(`file://${legacy}`)).rejects.toThrow(`Seq2Seq.load: ${legacy}/weights.bin has ${bin.length - 8} bytes but ${legacy}/model.json describes ${bin.length} bytes of weights`);
    model.dispose();
  });
});

describe('Seq2Seq bad input', () => {
  const model = new Seq2Seq(tiny('bahdanau'));

  it('names shapes and values', async () => {
    expect(() => model.forward([[4, 5, 99]], [[2, 3]])).toThrow(/id 99 at \[0,2\] is outside the vocabulary \[0, 12\)/);
    expect(() => model.forward([[4, 5]], [[2, 3], [2, 3]])).toThrow(/source \[1,2\] and target \[2,2\] differ in batch size/);
    expect(() => model.forward([[]], [[2, 3]])).toThrow(/every sequence is empty \(shape \[1,0\]\)/);
    expect(() => model.forward([[4], []], [[2, 3], [2, 3]])).toThrow(/sequence 1 is empty/);
    expect(() => model.loss([[4]], [[2]])).toThrow(/target shape \[1,1\] must hold at least bos and eos/);
    expect(() => model.forward(tf.zeros([2, 3]) as tf.Tensor2D, [[2, 3]])).toThrow(/source must be an int32 tensor of shape \(batch, S\); got float32 shape \[2,3\]/);
    await expect(model.generate([Array.from({ length: 11 }, () => 4)])).rejects.toThrow(/source shape \[1,11\] is longer than maxSourceLength 10/);
    await expect(model.generate([[4]], { beamSize: 0 })).rejects.toThrow(/beamSize must be a positive integer at most 256; got 0/);
    await expect(model.generate([[4]], { beamSize: 100_000 })).rejects.toThrow('Seq2Seq.generate: beamSize must be a positive integer at most 256; got 100000');
  });

  it('does not leak tensors on errors', async () => {
    await expectNoLeaks(async () => {
      expect(() => model.forward([[4, 5]], [[2, 3], [2, 3]])).toThrow();
      await expect(model.generate([Array.from({ length: 11 }, () => 4)])).rejects.toThrow();
    }, 'failed calls');
  });
});
