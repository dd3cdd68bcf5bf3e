import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { describeBackends, expectClose, expectNoLeaks, TEST_BACKENDS } from '../testing/index';
import { attentionReference, type AttentionOptions } from './attention-reference';
import { fusedAttention } from './fused-attention';
import { kernelAppliesNanContract } from './kernel-applies-nan-contract';
import { registerFusedAttention } from './register-fused-attention';

/** One case of `__fixtures__/attention-nan.json`, written by scripts/attention-nan-fixture.py (PyTorch 1.13). */
interface NanCase {
  name: string;
  shape: [number, number, number, number, number]; // batch, heads, T, S, D
  query: Array<number | null>;
  key: Array<number | null>;
  value: Array<number | null>;
  mask: boolean[] | null;
  maskShape: number[] | null;
  causal: boolean;
  dOutput: Array<number | null>;
  output: Array<number | null>;
  dQuery: Array<number | null>;
  dKey: Array<number | null>;
  dValue: Array<number | null>;
}

const fixture = JSON.parse(readFileSync(new URL('./__fixtures__/attention-nan.json', import.meta.url), 'utf8')) as { cases: NanCase[] };
const values = (list: Array<number | null>) => Float32Array.from(list, (x) => (x === null ? NaN : x));
const nanCount = (list: Array<number | null>) => list.filter((x) => x === null).length;

type Attend = (query: tf.Tensor4D, key: tf.Tensor4D, value: tf.Tensor4D, options: AttentionOptions) => tf.Tensor4D;
const PATHS: Record<string, Attend> = { fused: fusedAttention, reference: attentionReference };

/** Output and the three gradients of sum(attend(...) · dOutput). */
function run(attend: Attend, testCase: NanCase): { output: tf.Tensor; dQuery: tf.Tensor; dKey: tf.Tensor; dValue: tf.Tensor } {
  const [batch, heads, queryLength, keyLength, depth] = testCase.shape;
  return tf.tidy(() => {
    const query = tf.tensor4d(values(testCase.query), [batch, heads, queryLength, depth]);
    const key = tf.tensor4d(values(testCase.key), [batch, heads, keyLength, depth]);
    const value = tf.tensor4d(values(testCase.value), [batch, heads, keyLength, depth]);
    const dOutput = tf.tensor4d(values(testCase.dOutput), [batch, heads, queryLength, depth]);
    const options: AttentionOptions = { causal: testCase.causal };
    if (testCase.mask) options.mask = tf.tensor(testCase.mask, testCase.maskShape!, 'bool');
    const output = attend(query, key, value, options);
    const { grads } = tf.valueAndGrads((q: tf.Tensor, k: tf.Tensor, v: tf.Tensor) => tf.sum(tf.mul(attend(q as tf.Tensor4D, k as tf.Tensor4D, v as tf.Tensor4D, options), dOutput)))([query, key, value]);
    return { output, dQuery: grads[0]!, dKey: grads[1]!, dValue: grads[2]! };
  });
}

it('the fixture is PyTorch 1.13 and exercises NaN at masked and causal-future positions', () => {
  const byName = Object.fromEntries(fixture.cases.map((c) => [c.name, c]));
  // PyTorch's answer to the question: a NaN at a masked key or value does reach the outputs and gradients.
  expect(nanCount(byName['masked key']!.output)).toBe(12); // the whole batch-0 slice
  expect(nanCount(byName['masked value']!.output)).toBe(3); // one column of batch 0
  expect(nanCount(byName['masked value']!.dKey)).toBe(16);
  expect(nanCount(byName['masked value']!.dValue)).toBe(0);
  expect(nanCount(byName['clean']!.output)).toBe(0);
});

await describeBackends(TEST_BACKENDS, (backend) => {
  it('the contract is applied by the kernel on cpu and wasm (JavaScript), by tfjs ops on webgpu', () => {
    registerFusedAttention();
    expect(kernelAppliesNanContract(backend)).toBe(backend !== 'webgpu');
  });

  for (const testCase of fixture.cases) {
    it(`${testCase.name}: fused and reference give PyTorch's NaN and values, gradients included`, async () => {
      await expectNoLeaks(async () => {
        for (const [path, attend] of Object.entries(PATHS)) {
          const result = run(attend, testCase);
          for (const name of ['output', 'dQuery', 'dKey', 'dValue'] as const) {
            await expectClose(result[name], values(testCase[name]), { rtol: 1e-4, atol: 2e-5, label: `${backend} ${path} ${testCase.name} ${name}` });
          }
          tf.dispose(Object.values(result));
        }
      });
    });
  }

  it('a fully masked row stays zero, but a NaN value still reaches it (0·NaN), on both paths', async () => {
    await expectNoLeaks(async () => {
      const query = tf.randomNormal([1, 1, 3, 4], 0, 1, 'float32', 7) as tf.Tensor4D;
      const key = tf.randomNormal([1, 1, 4, 4], 0, 1, 'float32', 8) as tf.Tensor4D;
      const clean = tf.randomNormal([1, 1, 4, 4], 0, 1, 'float32', 9) as tf.Tensor4D;
      const poisonedValues = Float32Array.from(await clean.data());
      poisonedValues[3 * 4 + 2] = NaN; // value row 3 (masked for everyone), column 2
      const poisoned = tf.tensor4d(poisonedValues, [1, 1, 4, 4]);
      // Row 1 is fully masked; rows 0 and 2 see keys 0-1.
      const mask = tf.tensor2d([[true, true, false, false], [false, false, false, false], [true, true, false, false]], undefined, 'bool');
      for (const attend of Object.values(PATHS)) {
        const cleanRow = attend(query, key, clean, { mask });
        expect(Array.from((await cleanRow.data()).subarray(4, 8))).toEqual([0, 0, 0, 0]);
        const poisonedRows = attend(query, key, poisoned, { mask });
        const data = await poisonedRows.data();
        // Column 2 of every row is NaN, the fully masked row included; the rest is finite.
        expect(Array.from(data, (x, index) => (Number.isNaN(x) ? index % 4 : -1)).filter((x) => x >= 0)).toEqual([2, 2, 2]);
        tf.dispose([cleanRow, poisonedRows]);
      }
      tf.dispose([query, key, clean, poisoned, mask]);
    });
  });
});
