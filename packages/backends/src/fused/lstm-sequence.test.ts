import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSimdKernels, simdKernelsFailure } from '../kernels/wasm-simd/load-simd-kernels';
import { describeBackends, expectClose, TEST_BACKENDS } from '../testing/index';
import { JS_LSTM_CORES, simdLstmCores } from './lstm-sequence-cores';
import { lstmSequence, lstmSequenceCores, lstmSequenceReference, setFusedLstmEnabled, type LstmSequenceOptions } from './lstm-sequence';
import { LstmSequence, LstmSequenceGrad } from './lstm-sequence-kernel';
import { hasLstmSequenceKernel } from './register-lstm-sequence';

beforeAll(async () => {
  if (!(await loadSimdKernels())) throw new Error(`SIMD kernels did not load: ${simdKernelsFailure()}`);
});

interface Case {
  name: string;
  batch: number;
  time: number;
  units: number;
  /** Real steps per row (the rest is padding at the end, as in a padded batch); undefined = no mask. */
  lengths?: number[];
  reverse?: boolean;
  initial?: boolean;
}

const CASES: Case[] = [
  { name: 'no mask, zero state', batch: 2, time: 4, units: 8 },
  { name: 'padding mask, reverse, given state', batch: 3, time: 5, units: 8, lengths: [5, 2, 3], reverse: true, initial: true },
  { name: 'padding mask, forward, a row of padding only', batch: 3, time: 6, units: 12, lengths: [6, 0, 4], initial: true },
  { name: 'units not a multiple of 4 (scalar core)', batch: 2, time: 3, units: 6, lengths: [3, 1], reverse: true },
];

function inputs({ batch, time, units, lengths, initial }: Case, seed: number) {
  const projected = tf.randomNormal([batch, time, 4 * units], 0, 1, 'float32', seed) as tf.Tensor3D;
  const recurrentKernel = tf.randomNormal([units, 4 * units], 0, 0.4, 'float32', seed + 1) as tf.Tensor2D;
  const mask = lengths ? tf.tensor2d(lengths.flatMap((length) => Array.from({ length: time }, (_, t) => (t < length ? 1 : 0))), [batch, time]) : undefined;
  const h0 = tf.randomNormal([batch, units], 0, 0.5, 'float32', seed + 2) as tf.Tensor2D;
  const c0 = tf.randomNormal([batch, units], 0, 0.5, 'float32', seed + 3) as tf.Tensor2D;
  return { projected, recurrentKernel, mask, h0: initial ? h0 : tf.zerosLike(h0), c0: initial ? c0 : tf.zerosLike(c0) };
}

/** Per backend: which cores the registered kernel runs for 8 and 6 units; webgpu has no kernel (the composite runs). */
const EXPECTED_CORES: Record<string, [string | undefined, string | undefined]> = { cpu: ['js', 'js'], wasm: ['simd', 'js'], webgpu: [undefined, undefined] };

await describeBackends(TEST_BACKENDS, (backend) => {
  describe('lstmSequence', () => {
    it('runs as a registered kernel: the SIMD core on wasm when units is a multiple of 4, the JavaScript one on cpu, the composite elsewhere', async () => {
      expect([lstmSequenceCores(8)?.name, lstmSequenceCores(6)?.name]).toEqual(EXPECTED_CORES[backend]);
      expect(setFusedLstmEnabled(false)).toBe(true);
      expect(lstmSequenceCores(8)).toBeUndefined(); // the composite reference runs
      expect(setFusedLstmEnabled(true)).toBe(false);
      // The op is one kernel call forward and one backward where the backend has the kernel.
      const { projected, recurrentKernel, mask } = inputs(CASES[1]!, 5);
      const profile = await tf.profile(() => {
        const [dProjected] = tf.grads((z: tf.Tensor) => tf.sum(lstmSequence(z as tf.Tensor3D, recurrentKernel, { mask }).outputs))([projected]);
        return dProjected!;
      });
      const kernels = new Set(profile.kernelNames);
      expect(kernels.has(LstmSequence) && kernels.has(LstmSequenceGrad)).toBe(hasLstmSequenceKernel(backend));
      expect(hasLstmSequenceKernel(backend)).toBe(EXPECTED_CORES[backend]![0] !== undefined);
      tf.dispose([projected, recurrentKernel, mask]);
    });

    it('matches the composite reference: outputs, final state and the gradients of every input', async () => {
      let seed = 10;
      for (const testCase of CASES) {
        const { projected, recurrentKernel, mask, h0, c0 } = inputs(testCase, (seed += 10));
        const { batch, time, units } = testCase;
        const weights = [tf.randomNormal([batch, time, units], 0, 1, 'float32', seed + 5), tf.randomNormal([batch, units], 0, 1, 'float32', seed + 6), tf.randomNormal([batch, units], 0, 1, 'float32', seed + 7)];
        const run = (fn: typeof lstmSequence) => (z: tf.Tensor, w: tf.Tensor, h: tf.Tensor, c: tf.Tensor) => {
          const options: LstmSequenceOptions = { mask, reverse: testCase.reverse, initialState: testCase.initial ? [h as tf.Tensor2D, c as tf.Tensor2D] : undefined };
          const out = fn(z as tf.Tensor3D, w as tf.Tensor2D, options);
          // a loss that weighs every output and both final states differently
          return tf.addN([tf.sum(tf.mul(out.outputs, weights[0]!)), tf.sum(tf.mul(out.h, weights[1]!)), tf.sum(tf.mul(out.c, weights[2]!))]) as tf.Scalar;
        };
        const label = `${backend} ${testCase.name}`;
        const options: LstmSequenceOptions = { mask, reverse: testCase.reverse, initialState: testCase.initial ? [h0, c0] : undefined };
        const fast = lstmSequence(projected, recurrentKernel, options);
        const reference = lstmSequenceReference(projected, recurrentKernel, options);
        await expectClose(fast.outputs, reference.outputs, { rtol: 1e-4, atol: 1e-5, label: `${label} outputs` });
        await expectClose(fast.h, reference.h, { rtol: 1e-4, atol: 1e-5, label: `${label} h` });
        await expectClose(fast.c, reference.c, { rtol: 1e-4, atol: 1e-5, label: `${label} c` });
        const wrt = testCase.initial ? [projected, recurrentKernel, h0, c0] : [projected, recurrentKernel]; // without a given state, h0 and c0 are not inputs
        const grad = (fn: typeof lstmSequence) => tf.grads((...xs: tf.Tensor[]) => run(fn)(xs[0]!, xs[1]!, xs[2] ?? h0, xs[3] ?? c0))(wrt);
        const fastGrads = grad(lstmSequence);
        const referenceGrads = grad(lstmSequenceReference);
        for (const [index, name] of ['projected', 'recurrentKernel', 'h0', 'c0'].slice(0, wrt.length).entries()) {
          await expectClose(fastGrads[index]!, referenceGrads[index]!, { rtol: 1e-4, atol: 1e-5, label: `${label} d${name}` });
        }
        tf.dispose([projected, recurrentKernel, mask, h0, c0, ...weights, fast.outputs, fast.h, fast.c, reference.outputs, reference.h, reference.c, ...fastGrads, ...referenceGrads]);
      }
    });

    it('leaves no tensor behind, forward or backward', () => {
      const { projected, recurrentKernel, mask, h0, c0 } = inputs(CASES[1]!, 3);
      const before = tf.memory().numTensors;
      const out = lstmSequence(projected, recurrentKernel, { mask, initialState: [h0, c0] });
      expect(tf.memory().numTensors).toBe(before + 3);
      tf.dispose([out.outputs, out.h, out.c]);
      const grads = tf.grads((z: tf.Tensor) => tf.sum(lstmSequence(z as tf.Tensor3D, recurrentKernel, { mask }).outputs))([projected]);
      expect(tf.memory().numTensors).toBe(before + 1);
      tf.dispose([...grads, projected, recurrentKernel, mask, h0, c0]);
    });

    it('names the argument, the expected and the actual shape on bad input', () => {
      const projected = tf.zeros([2, 3, 16]) as tf.Tensor3D;
      expect(() => lstmSequence(tf.zeros([2, 3, 10]) as tf.Tensor3D, tf.zeros([2, 10]) as tf.Tensor2D)).toThrow(/projected's last axis must be 4·units .* got 10 in shape \[2, 3, 10\]/);
      expect(() => lstmSequence(projected, tf.zeros([4, 12]) as tf.Tensor2D)).toThrow(/recurrentKernel must have shape \[4, 16\] for projected \[2, 3, 16\]; got \[4, 12\]/);
      expect(() => lstmSequence(projected, tf.zeros([4, 16]) as tf.Tensor2D, { mask: tf.ones([3, 2]) as tf.Tensor2D })).toThrow(/mask must have shape \[2, 3\]; got \[3, 2\]/);
      expect(() => lstmSequence(projected, tf.zeros([4, 16]) as tf.Tensor2D, { initialState: [tf.zeros([2, 4]) as tf.Tensor2D, tf.zeros([2, 5]) as tf.Tensor2D] })).toThrow(/initialState c must have shape \[2, 4\]; got \[2, 5\]/);
      // Zero time steps: a clear error on both paths, not a failure inside tf.stack.
      for (const run of [lstmSequence, lstmSequenceReference]) {
        expect(() => run(tf.zeros([2, 0, 16]) as tf.Tensor3D, tf.zeros([4, 16]) as tf.Tensor2D)).toThrow('lstmSequence: projected has 0 time steps in shape [2, 0, 16]; give at least one');
      }
    });
  });
});

describe('LSTM cores', () => {
  it('the SIMD core matches the scalar JavaScript one on a larger random problem with padding, both directions', () => {
    const simd = simdLstmCores(32)!;
    expect(simd).toBeDefined();
    expect(simdLstmCores(30)).toBeUndefined();
    const [time, batch, units] = [7, 16, 32];
    let state = 7;
    const random = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
    const fill = (n: number, scale = 1) => Float32Array.from({ length: n }, () => random() * scale);
    const lengths = Array.from({ length: batch }, (_, b) => (b * 5) % (time + 1));
    const mask = Float32Array.from({ length: time * batch }, (_, i) => (Math.floor(i / batch) < lengths[i % batch]! ? 1 : 0));
    for (const reverse of [false, true]) {
      const problem = { time, batch, units, reverse, zx: fill(time * batch * 4 * units, 2), w: fill(units * 4 * units, 0.3), mask, h0: fill(batch * units, 0.5), c0: fill(batch * units, 0.5) };
      const a = simd.forward(problem);
      const b = JS_LSTM_CORES.forward(problem);
      const maxDiff = (x: Float32Array, y: Float32Array) => x.reduce((max, value, i) => Math.max(max, Math.abs(value - y[i]!)), 0);
      for (const key of ['hs', 'cs', 'ys'] as const) expect(maxDiff(a[key], b[key]), `${key} reverse=${reverse}`).toBeLessThan(2e-5);
      const real = (acts: Float32Array) => acts.map((value, i) => value * mask[Math.floor(i / (4 * units))]!); // padded steps' gate values are never read
      expect(maxDiff(real(a.acts), real(b.acts)), `acts reverse=${reverse}`).toBeLessThan(2e-5);
      const dys = fill(time * batch * units);
      const dhT = fill(batch * units);
      const dcT = fill(batch * units);
      const da = simd.backward(problem, a, dys, dhT, dcT);
      const db = JS_LSTM_CORES.backward(problem, b, dys, dhT, dcT);
      for (const key of ['dzx', 'dh0', 'dc0'] as const) expect(maxDiff(da[key], db[key]), `${key} reverse=${reverse}`).toBeLessThan(1e-4);
      expect(maxDiff(da.dzx, new Float32Array(da.dzx.length))).toBeGreaterThan(1e-2); // not all zero
    }
  });
});
