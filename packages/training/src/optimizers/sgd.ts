import * as tf from '@tensorflow/tfjs';
import { SlotStore } from './slot-store';
import type { TrainingOptimizer } from './training-optimizer';

/** Settings of {@link sgd}. */
export interface SgdConfig {
  /** Momentum μ (default 0: plain SGD). */
  momentum?: number;
  /** Nesterov momentum (default false). */
  nesterov?: boolean;
  /** L2 penalty added to the gradient, `g + λ·w` (default 0), as PyTorch's SGD. */
  weightDecay?: number;
}

/**
 * Stochastic gradient descent with optional (Nesterov) momentum, as PyTorch's SGD and tfjs's
 * MomentumOptimizer: `b ← μ·b + g; w ← w - lr·b` (Nesterov: `w ← w - lr·(g + μ·b)`).
 *
 * @example
 * ```ts
 * const trainer = new Trainer({ model, loss, optimizer: sgd({ momentum: 0.9 }), schedule: constantSchedule(0.05) });
 * ```
 */
export function sgd(config: SgdConfig = {}): TrainingOptimizer {
  const { momentum = 0, nesterov = false, weightDecay = 0 } = config;
  if (!(momentum >= 0 && momentum < 1)) throw new RangeError(`momentum must be in [0, 1), got ${momentum}`);
  if (nesterov && momentum === 0) throw new RangeError('nesterov needs momentum > 0, got momentum=0');
  const slots = new SlotStore(momentum > 0 ? ['momentum'] : []);
  let updates = 0;
  return {
    config: { name: 'sgd', momentum, nesterov, weightDecay },
    get updates() {
      return updates;
    },
    applyGradients(variables, gradients, learningRate) {
      updates += 1;
      for (const variable of variables) {
        const gradient = gradients[variable.name];
        if (!gradient) continue;
        tf.tidy(() => {
          const decayed = weightDecay > 0 ? tf.add(gradient, tf.mul(variable.variable, weightDecay)) : gradient;
          let direction = decayed;
          if (momentum > 0) {
            const buffer = slots.get(variable, 'momentum');
            const newBuffer = tf.add(tf.mul(buffer, momentum), decayed);
            buffer.assign(newBuffer);
            direction = nesterov ? tf.add(decayed, tf.mul(newBuffer, momentum)) : newBuffer;
          }
          variable.variable.assign(tf.sub(variable.variable, tf.mul(direction, learningRate)));
        });
      }
    },
    slots: () => slots.all(),
    loadState(variables, values, savedUpdates) {
      slots.load(variables, values);
      updates = savedUpdates;
    },
    dispose: () => slots.dispose(),
  };
}
