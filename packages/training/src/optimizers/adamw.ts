import { adam, type AdamConfig } from './adam';
import type { TrainingOptimizer } from './training-optimizer';

/**
 * Hugging Face's rule for which weights get no weight decay (transformers' `Trainer`,
 * `get_decay_parameter_names`: every parameter of a LayerNorm module, and every name containing
 * `"bias"`), read from the weight's name alone: the module holding a `.weight` is a LayerNorm when
 * its name is `LayerNorm`, `layer_norm`, `layernorm`, ends in one of those (`sa_layer_norm`,
 * `output_layer_norm`), starts with `layernorm_` (ViT's `layernorm_before`) or is GPT-2's `ln_*`.
 *
 * @example
 * ```ts
 * isNoDecayParameter('bert.encoder.layer.0.attention.output.LayerNorm.weight'); // true
 * isNoDecayParameter('bert.encoder.layer.0.attention.self.query.bias');         // true
 * isNoDecayParameter('bert.encoder.layer.0.attention.self.query.weight');       // false
 * ```
 */
export function isNoDecayParameter(name: string): boolean {
  if (name.includes('bias')) return true;
  const parts = name.split('.');
  const module = parts.length >= 2 && parts[parts.length - 1] === 'weight' ? parts[parts.length - 2]! : '';
  return /(layer_?norm)$|^layernorm_|^ln(_|$)/i.test(module);
}

/**
 * AdamW as Hugging Face fine-tunes with it: decoupled weight decay (default 0.01) on every weight
 * except biases and LayerNorm weights ({@link isNoDecayParameter}), β = (0.9, 0.999), ε = 1e-8 —
 * torch.optim.AdamW with the two parameter groups `transformers.Trainer` builds. Pair it with
 * {@link linearScheduleWithWarmup} and `clipNorm: 1` for the Trainer's defaults.
 *
 * @example
 * ```ts
 * const trainer = new Trainer({
 *   model,
 *   loss,
 *   optimizer: adamw(),                                  // weightDecay 0.01, biases and LayerNorm exempt
 *   schedule: linearScheduleWithWarmup({ peakLearningRate: 5e-5, warmupSteps: 0, totalSteps: 300 }),
 *   clipNorm: 1,
 * });
 * ```
 */
export function adamw(config: AdamConfig = {}): TrainingOptimizer {
  return adam({ weightDecay: 0.01, excludeFromWeightDecay: isNoDecayParameter, ...config });
}
