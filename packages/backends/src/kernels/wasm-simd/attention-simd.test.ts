import { beforeAll, describe, expect, it } from 'vitest';
import { expectClose } from '../../testing/index';
import { JS_CORES, type AttentionCores } from '../../fused/attention-kernel-funcs';
import type { AttentionProblem } from '../../fused/attention-problem';
import { attentionSimdCores, setSimdThreads } from './attention-simd';
import { loadSimdKernels, simdHeap, simdKernelsFailure } from './load-simd-kernels';

/** Deterministic uniform(−1, 1) values (mulberry32). */
function randomValues(count: number, seed: number): Float32Array {
  let state = seed >>> 0;
  const values = new Float32Array(count);
  for (let index = 0; index < count; index++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    values[index] = ((((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1) * 2;
  }
  return values;
}

type Shape = [number, number, number, number, number]; // batch, heads, T, S, D

function problem([batch, heads, queryLength, keyLength, depth]: Shape, seed: number, extra: Partial<AttentionProblem> = {}): AttentionProblem {
  return {
    batch, heads, queryLength, keyLength, depth,
    scale: 1 / Math.sqrt(depth), causal: false, window: -1,
    query: randomValues(batch * heads * queryLength * depth, seed),
    key: randomValues(batch * heads * keyLength * depth, seed + 1),
    value: randomValues(batch * heads * keyLength * depth, seed + 2),
    mask: new Float32Array([1]), maskShape: [1, 1, 1, 1],
    ...extra,
  };
}

/** A 0/1 mask with about 60% visible and query row 1 fully masked. */
function paddingMask(shape: [number, number, number, number], seed: number): Pick<AttentionProblem, 'mask' | 'maskShape'> {
  const mask = randomValues(shape.reduce((a, b) => a * b, 1), seed).map((x) => (x > -0.4 ? 1 : 0));
  if (shape[2] > 1) for (let j = 0; j < shape[3]; j++) mask[shape[3] + j] = 0;
  return { mask, maskShape: shape };
}

/** A (1, 1, T, S) mask, causal-free, whose query rows 4–7 (one whole group of a 16-row backward block) see nothing. */
function maskedGroup(queryLength: number, keyLength: number, seed: number): Pick<AttentionProblem, 'mask' | 'maskShape'> {
  const { mask } = paddingMask([1, 1, queryLength, keyLength], seed);
  for (let i = 4; i < 8; i++) mask.fill(0, i * keyLength, (i + 1) * keyLength);
  return { mask, maskShape: [1, 1, queryLength, keyLength] };
}

const PROBLEMS: Array<[string, AttentionProblem]> = [
  ['D=64, T != S', problem([1, 2, 19, 23, 64], 1)],
  ['odd D=13', problem([2, 1, 7, 9, 13], 2)],
  ['D=3, S=1', problem([1, 3, 5, 1, 3], 3)],
  ['causal', problem([2, 2, 17, 17, 16], 4, { causal: true })],
  ['window 3, T > S', problem([1, 2, 12, 8, 8], 5, { window: 3 })],
  ['causal + window', problem([1, 1, 21, 21, 20], 6, { causal: true, window: 5 })],
  ['full mask with a fully masked row', problem([2, 2, 6, 11, 12], 7, paddingMask([2, 2, 6, 11], 70))],
  ['(batch, 1, 1, S) mask', problem([3, 2, 5, 10, 8], 8, paddingMask([3, 1, 1, 10], 80))],
  ['(T, S) mask, causal', problem([1, 2, 9, 9, 7], 9, { causal: true, ...paddingMask([1, 1, 9, 9], 90) })],
  ['a fully masked group inside a block, window', problem([1, 2, 37, 30, 8], 10, { window: 6, ...maskedGroup(37, 30, 100) })],
];

let simd: AttentionCores;

beforeAll(async () => {
  const loaded = await loadSimdKernels();
  if (!loaded) throw new Error(`SIMD kernels did not load: ${simdKernelsFailure()}`);
  simd = attentionSimdCores() as AttentionCores;
  // these problems are small: thread them anyway, so the pool path is what gets tested
  const heap = simdHeap();
  if (heap) heap.minThreadedWork = 0;
});

describe('WebAssembly SIMD attention cores', () => {
  it('load from the build output, on a worker-thread pool where there are several cores', async () => {
    expect(simd).toBeDefined();
    const { availableParallelism } = await import('node:os');
    const wanted = Number(process.env.HEED_SIMD_THREADS) || Math.min(4, availableParallelism());
    expect(simdHeap()?.pool?.threads ?? 1).toBe(wanted);
  });

  it.each(PROBLEMS)('forward matches the JavaScript reference: %s', async (_name, attention) => {
    const expected = JS_CORES.forward(attention);
    const actual = simd.forward(attention);
    await expectClose(actual.output, expected.output, { rtol: 1e-4, atol: 1e-5, label: 'output' });
    await expectClose(actual.logSumExp, expected.logSumExp, { rtol: 1e-5, atol: 1e-5, label: 'logSumExp' });
  });

  it.each(PROBLEMS)('backward matches the JavaScript reference: %s', async (_name, attention) => {
    const forward = JS_CORES.forward(attention);
    const inputs = { ...forward, dOutput: randomValues(forward.output.length, 99) };
    const expected = JS_CORES.backward(attention, inputs);
    const actual = simd.backward(attention, inputs);
    for (const name of ['dQuery', 'dKey', 'dValue'] as const) {
      await expectClose(actual[name], expected[name], { rtol: 1e-3, atol: 1e-4, label: name });
    }
  });

  it('report finite inputs exactly when no query, key, value (or dOutput) element is NaN, in vector or tail lanes', () => {
    const base = problem([1, 2, 5, 7, 3], 12); // 30, 42, 42 floats: vector lanes and a tail of 2
    const forward = simd.forward(base);
    expect(forward.finiteInputs).toBe(true);
    const dOutput = randomValues(forward.output.length, 98);
    expect(simd.backward(base, { ...forward, dOutput }).finiteInputs).toBe(true);
    for (const [name, index] of [['query', 0], ['key', 41], ['value', 17]] as const) {
      const values = base[name].slice();
      values[index] = NaN;
      expect(simd.forward({ ...base, [name]: values }).finiteInputs, `${name}[${index}]`).toBe(false);
    }
    const nanOutput = dOutput.slice();
    nanOutput[29] = NaN;
    expect(simd.backward(base, { ...forward, dOutput: nanOutput }).finiteInputs).toBe(false);
  });

  it('runs problems below minThreadedWork on one thread, without waking the pool', () => {
    const heap = simdHeap();
    if (!heap?.pool) return; // one core: no pool to wake
    const pool = heap.pool;
    const run = pool.run.bind(pool);
    let calls = 0;
    pool.run = ((...args: Parameters<typeof run>) => {
      calls++;
      return run(...args);
    }) as typeof run;
    try {
      const attention = problem([2, 3, 33, 29, 16], 13, { causal: true });
      heap.minThreadedWork = 2 ** 26;
      simd.forward(attention);
      expect(calls).toBe(0);
      heap.minThreadedWork = 0;
      simd.forward(attention);
      expect(calls).toBe(1);
    } finally {
      pool.run = run;
      heap.minThreadedWork = 0;
    }
  });

  it('gives the same results on one thread as on every pool thread', async () => {
    const attention = problem([2, 3, 33, 29, 16], 11, { causal: true });
    const threaded = simd.forward(attention);
    const inputs = { ...threaded, dOutput: randomValues(threaded.output.length, 12) };
    const threadedGradients = simd.backward(attention, inputs);
    expect(setSimdThreads(1)).toBe(1);
    try {
      const single = simd.forward(attention);
      await expectClose(single.output, threaded.output, { rtol: 0, atol: 0 });
      const singleGradients = simd.backward(attention, inputs);
      for (const name of ['dQuery', 'dKey', 'dValue'] as const) await expectClose(singleGradients[name], threadedGradients[name], { rtol: 0, atol: 0 });
    } finally {
      setSimdThreads(Infinity);
    }
  });

  it.each(['attentionForward', 'attentionBackward'] as const)(
    '%s claims (batch, head) slices from the shared counter: slices claimed before a thread arrives are left to the others, and a thread without scratch sits out',
    async (name) => {
      const heap = simdHeap();
      if (!heap) throw new Error('no SIMD heap');
      const attention = problem([2, 3, 9, 11, 8], 14); // 6 slices
      const forward = JS_CORES.forward(attention);
      const inputs = { ...forward, dOutput: randomValues(forward.output.length, 15) };
      const exports = heap.exports;
      // the single-thread path calls heap.exports directly: preset its counter to 2 (slices 0 and 1
      // taken by "another thread"), and mark what it must not write with a sentinel
      const slicesClaimed = 2;
      const sentinel = 12345;
      const written = name === 'attentionForward' ? [4] : [7, 8, 9]; // output, or dQuery/dKey/dValue
      let satOut = false;
      const wrapped: typeof exports = { ...exports };
      wrapped[name] = (...args: number[]) => {
        const memory = exports.memory.buffer;
        const counter = args[args.length - 1] as number;
        const scratchIndex = name === 'attentionForward' ? 6 : 10;
        // a thread without scratch returns without claiming or writing
        new Int32Array(memory, counter, 1)[0] = 0;
        exports[name](...args.map((value, index) => (index === scratchIndex ? 0 : value)));
        satOut = new Int32Array(memory, counter, 1)[0] === 0;
        new Int32Array(memory, counter, 1)[0] = slicesClaimed;
        for (const index of written) {
          const sliceFloats = index === 4 || index === 7 ? attention.queryLength * attention.depth : attention.keyLength * attention.depth;
          new Float32Array(memory, args[index] as number, slicesClaimed * sliceFloats).fill(sentinel);
        }
        exports[name](...args);
      };
      const threshold = heap.minThreadedWork;
      Object.defineProperty(heap, 'exports', { value: wrapped, configurable: true });
      heap.minThreadedWork = 2 ** 40; // one thread: the wrapped export
      try {
        const actual = name === 'attentionForward' ? { output: simd.forward(attention).output } : simd.backward(attention, inputs);
        const expected = name === 'attentionForward' ? { output: forward.output } : JS_CORES.backward(attention, inputs);
        expect(satOut).toBe(true);
        for (const [key, values] of Object.entries(actual) as Array<[string, Float32Array]>) {
          if (!(values instanceof Float32Array)) continue;
          const reference = (expected as Record<string, Float32Array>)[key] as Float32Array;
          const sliceFloats = values.length / 6;
          expect([...values.subarray(0, slicesClaimed * sliceFloats)].every((value) => value === sentinel), `${key}: claimed slices untouched`).toBe(true);
          await expectClose(values.subarray(slicesClaimed * sliceFloats), reference.subarray(slicesClaimed * sliceFloats), { rtol: 1e-3, atol: 1e-4, label: key });
        }
      } finally {
        Object.defineProperty(heap, 'exports', { value: exports, configurable: true });
        heap.minThreadedWork = threshold;
      }
    },
  );
});
