import * as tf from '@tensorflow/tfjs';
import type { LstmCores } from './lstm-sequence-cores';
import { LstmSequence, type LstmSequenceAttrs } from './lstm-sequence-kernel';
import { hasLstmSequenceKernel, LSTM_SEQUENCE_CORES, registerLstmSequence } from './register-lstm-sequence';

/** The outputs of {@link lstmSequence} and {@link lstmSequenceReference}. */
export interface LstmSequenceResult {
  /** `(batch, time, units)`: h at each step, 0 at padding. */
  outputs: tf.Tensor3D;
  /** `(batch, units)`: the final state (a padded row keeps the state of its last real step). */
  h: tf.Tensor2D;
  c: tf.Tensor2D;
}

/** Options of {@link lstmSequence}. */
export interface LstmSequenceOptions {
  /** `(batch, time)` float 1/0: 1 = real step, 0 = padding (the state is kept, the output is 0). Default all 1. */
  mask?: tf.Tensor2D;
  /** Initial state `(batch, units)` each; default zeros. */
  initialState?: [tf.Tensor2D, tf.Tensor2D];
  /** Run from the last step to the first (the backward half of a bidirectional LSTM). */
  reverse?: boolean;
}

const shapeText = (shape: readonly number[]) => `[${shape.join(', ')}]`;

function check(projected: tf.Tensor3D, recurrentKernel: tf.Tensor2D, options: LstmSequenceOptions): { batch: number; time: number; units: number } {
  if (!(projected instanceof tf.Tensor) || projected.rank !== 3) throw new Error(`lstmSequence: projected must be a rank-3 tensor (batch, time, 4·units); got ${projected instanceof tf.Tensor ? `shape ${shapeText(projected.shape)}` : typeof projected}`);
  const [batch, time, gates] = projected.shape;
  if (gates % 4 !== 0) throw new Error(`lstmSequence: projected's last axis must be 4·units (gates i, f, g, o); got ${gates} in shape ${shapeText(projected.shape)}`);
  const units = gates / 4;
  // As PyTorch's nn.LSTM ("Expected sequence length to be larger than 0"): there is no last state to return.
  if (time === 0) throw new Error(`lstmSequence: projected has 0 time steps in shape ${shapeText(projected.shape)}; give at least one`);
  if (!(recurrentKernel instanceof tf.Tensor) || recurrentKernel.shape.join() !== [units, gates].join()) {
    throw new Error(`lstmSequence: recurrentKernel must have shape [${units}, ${gates}] for projected ${shapeText(projected.shape)}; got ${recurrentKernel instanceof tf.Tensor ? shapeText(recurrentKernel.shape) : typeof recurrentKernel}`);
  }
  if (options.mask && options.mask.shape.join() !== [batch, time].join()) throw new Error(`lstmSequence: mask must have shape [${batch}, ${time}]; got ${shapeText(options.mask.shape)}`);
  for (const [name, state] of [['h', options.initialState?.[0]], ['c', options.initialState?.[1]]] as const) {
    if (state && state.shape.join() !== [batch, units].join()) throw new Error(`lstmSequence: initialState ${name} must have shape [${batch}, ${units}]; got ${shapeText(state.shape)}`);
  }
  for (const [name, tensor] of [['projected', projected], ['recurrentKernel', recurrentKernel], ['mask', options.mask]] as const) {
    if (tensor && tensor.dtype !== 'float32') throw new Error(`lstmSequence: ${name} must be float32; got ${tensor.dtype}`);
  }
  return { batch, time, units };
}

/**
 * The composite LSTM recurrence, one tfjs op per gate per step: the reference {@link lstmSequence}
 * is tested against, and what it runs on backends that keep data on a GPU.
 *
 * @example
 * ```ts
 * const { outputs, h, c } = lstmSequenceReference(projected, recurrentKernel, { mask });
 * ```
 */
export function lstmSequenceReference(projected: tf.Tensor3D, recurrentKernel: tf.Tensor2D, options: LstmSequenceOptions = {}): LstmSequenceResult {
  const { batch, time, units } = check(projected, recurrentKernel, options);
  return tf.tidy(() => {
    const steps = tf.unstack(projected, 1) as tf.Tensor2D[];
    const masks = tf.unstack((options.mask ?? tf.ones([batch, time])).expandDims(2), 1) as tf.Tensor2D[];
    let [h, c] = options.initialState ?? [tf.zeros([batch, units]) as tf.Tensor2D, tf.zeros([batch, units]) as tf.Tensor2D];
    const outputs: tf.Tensor2D[] = new Array<tf.Tensor2D>(time);
    for (let k = 0; k < time; k++) {
      const t = options.reverse ? time - 1 - k : k;
      const [i, f, g, o] = tf.split(tf.add(steps[t]!, tf.matMul(h, recurrentKernel)), 4, 1) as tf.Tensor2D[];
      const c2 = tf.add(tf.mul(tf.sigmoid(f!), c), tf.mul(tf.sigmoid(i!), tf.tanh(g!)));
      const h2 = tf.mul(tf.sigmoid(o!), tf.tanh(c2));
      const m = masks[t]!;
      h = tf.add(h, tf.mul(m, tf.sub(h2, h))) as tf.Tensor2D;
      c = tf.add(c, tf.mul(m, tf.sub(c2, c))) as tf.Tensor2D;
      outputs[t] = tf.mul(h, m) as tf.Tensor2D;
    }
    return { outputs: tf.stack(outputs, 1) as tf.Tensor3D, h, c };
  });
}

let fusedEnabled = true;

/**
 * Turns the fused LSTM loops off (`false`: {@link lstmSequence} runs the composite reference on
 * every backend) or back on; for benchmarks and A/B checks. Returns the previous setting.
 *
 * @example
 * ```ts
 * const previous = setFusedLstmEnabled(false); // time the composite
 * setFusedLstmEnabled(previous);
 * ```
 */
export function setFusedLstmEnabled(on: boolean): boolean {
  const previous = fusedEnabled;
  fusedEnabled = on;
  return previous;
}

/**
 * The cores {@link lstmSequence} runs for `units` on the current backend (its registered kernel's:
 * `'simd'` on wasm once heed's module is loaded and units is a multiple of 4, else `'js'`), or
 * undefined where the composite reference runs (no kernel, or {@link setFusedLstmEnabled}(false)).
 *
 * @example
 * ```ts
 * await initBackend({ backend: 'wasm' });
 * lstmSequenceCores(128)?.name; // 'simd'
 * ```
 */
export function lstmSequenceCores(units: number): LstmCores | undefined {
  registerLstmSequence();
  const backend = tf.getBackend();
  if (!fusedEnabled || !hasLstmSequenceKernel(backend)) return undefined;
  return LSTM_SEQUENCE_CORES[backend]?.(units);
}

/**
 * A whole LSTM layer over a sequence in one differentiable op: `projected (batch, time, 4·units)` is
 * the input projection x·W + b of every step (gates i | f | g | o, as Keras lays them out), and
 * each step adds h·recurrentKernel. Runs as the tfjs kernel {@link LstmSequence} (gradient kernel
 * `LstmSequenceGrad`) where one is registered: forward and backward (backpropagation through
 * time) as one loop each, in heed's WebAssembly SIMD kernels on wasm and a scalar JavaScript loop
 * on cpu; the recurrent kernel's gradient is one matmul over all steps. Other backends (webgpu,
 * webgl) run {@link lstmSequenceReference}, the composite, whose values and gradients it matches.
 *
 * @param projected (batch, time, 4·units) float32
 * @param recurrentKernel (units, 4·units) float32
 * @returns `outputs (batch, time, units)`, the final `h` and `c` (batch, units)
 * @example
 * ```ts
 * const projected = tf.add(tf.matMul(x.reshape([b * t, d]), kernel), bias).reshape([b, t, 4 * u]);
 * const { outputs, h, c } = lstmSequence(projected, recurrentKernel, { mask, reverse: true });
 * ```
 */
export function lstmSequence(projected: tf.Tensor3D, recurrentKernel: tf.Tensor2D, options: LstmSequenceOptions = {}): LstmSequenceResult {
  const { batch, time, units } = check(projected, recurrentKernel, options);
  registerLstmSequence();
  if (!fusedEnabled || !hasLstmSequenceKernel(tf.getBackend())) return lstmSequenceReference(projected, recurrentKernel, options);
  const attrs: LstmSequenceAttrs = { reverse: options.reverse ?? false };
  return tf.tidy(() => {
    const mask = options.mask ?? tf.ones([batch, time]); // (batch, time)
    const [initialH, initialC] = options.initialState ?? [tf.zeros([batch, units]), tf.zeros([batch, units])]; // (batch, units) each
    const [outputs, h, c] = tf.engine().runKernel(LstmSequence, { projected, recurrentKernel, mask, initialH, initialC }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
    return { outputs: outputs as tf.Tensor3D, h: h as tf.Tensor2D, c: c as tf.Tensor2D };
  });
}
