import * as tf from '@tensorflow/tfjs';
import { SlotStore } from './slot-store';
import type { NamedVariable, TrainingOptimizer } from './training-optimizer';

/** Settings of {@link adam}. */
export interface AdamConfig {
  /** Decay of the first-moment average (default 0.9). */
  beta1?: number;
  /** Decay of the second-moment average (default 0.999). */
  beta2?: number;
  /** Added to sqrt(v̂) in the denominator (default 1e-8, as PyTorch; tfjs uses 1e-7). */
  epsilon?: number;
  /**
   * Decoupled weight decay λ (default 0 = plain Adam). When > 0 this is AdamW (Loshchilov &
   * Hutter, "Decoupled Weight Decay Regularization", 2019): each update first shrinks the
   * weights by `lr · λ`, outside the adaptive gradient step, as PyTorch's AdamW.
   */
  weightDecay?: number;
  /**
   * Weights (by their checkpoint name) that get no weight decay, as a parameter group with
   * `weight_decay: 0` in PyTorch. Default: none (every weight decays). {@link adamw} defaults to
   * {@link isNoDecayParameter}, Hugging Face's rule (biases and LayerNorm weights).
   */
  excludeFromWeightDecay?: (name: string) => boolean;
}

/**
 * Adam (Kingma & Ba, 2015), and AdamW when `weightDecay` > 0, computed in PyTorch's order
 * (torch.optim.AdamW): `w ← w·(1 - lr·λ); m ← β1·m + (1-β1)·g; v ← β2·v + (1-β2)·g²;
 * w ← w - (lr / (1-β1^t)) · m / (sqrt(v) / sqrt(1-β2^t) + ε)`.
 *
 * @example
 * ```ts
 * const trainer = new Trainer({ model, loss, optimizer: adam({ weightDecay: 0.01 }) });
 * ```
 */
export function adam(config: AdamConfig = {}): TrainingOptimizer {
  const { beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8, weightDecay = 0, excludeFromWeightDecay } = config;
  for (const [name, value] of [['beta1', beta1], ['beta2', beta2]] as const) {
    if (!(value >= 0 && value < 1)) throw new RangeError(`${name} must be in [0, 1), got ${value}`);
  }
  if (!(epsilon >= 0)) throw new RangeError(`epsilon must be >= 0, got ${epsilon}`);
  if (!(weightDecay >= 0)) throw new RangeError(`weightDecay must be >= 0, got ${weightDecay}`);
  const slots = new SlotStore(['m', 'v']);
  const decays = new Map<string, boolean>();
  const decayed = (name: string) => {
    let value = decays.get(name);
    if (value === undefined) decays.set(name, (value = weightDecay > 0 && !(excludeFromWeightDecay?.(name) ?? false)));
    return value;
  };
  let updates = 0;
  return {
    config: {
      name: weightDecay > 0 ? 'adamw' : 'adam',
      beta1,
      beta2,
      epsilon,
      weightDecay,
      ...(excludeFromWeightDecay ? { excludeFromWeightDecay: excludeFromWeightDecay.name || 'custom' } : {}),
    },
    get updates() {
      return updates;
    },
    applyGradients(variables, gradients, learningRate) {
      updates += 1;
      const stepSize = learningRate / (1 - beta1 ** updates); // float64, from the count: exact on resume
      const secondCorrectionSqrt = Math.sqrt(1 - beta2 ** updates);
      for (const variable of variables) {
        const gradient = gradients[variable.name];
        if (!gradient) continue;
        const m = slots.get(variable, 'm');
        const v = slots.get(variable, 'v');
        const decay = decayed(variable.name);
        tf.tidy(() => {
          const weight = decay ? tf.mul(variable.variable, 1 - learningRate * weightDecay) : variable.variable;
          const newM = tf.add(tf.mul(m, beta1), tf.mul(gradient, 1 - beta1));
          const newV = tf.add(tf.mul(v, beta2), tf.mul(tf.square(gradient), 1 - beta2));
          m.assign(newM);
          v.assign(newV);
          const denominator = tf.add(tf.div(tf.sqrt(newV), secondCorrectionSqrt), epsilon);
          variable.variable.assign(tf.sub(weight, tf.mul(tf.div(newM, denominator), stepSize)));
        });
      }
    },
    slots: () => slots.all(),
    loadState(variables: readonly NamedVariable[], values, savedUpdates) {
      slots.load(variables, values);
      updates = savedUpdates;
    },
    dispose: () => slots.dispose(),
  };
}
