import * as tf from '@tensorflow/tfjs';
import { cosineScore } from '../ops/cosine-score';
import type { Shape } from './layer-utils';
import { ScoredAttention, type ScoredAttentionArgs } from './scored-attention';

/** Configuration of {@link CosineAttention}. */
export interface CosineAttentionArgs extends ScoredAttentionArgs {
  /** Softmax temperature τ (scores are cos/τ). Default 1. With `learnTemperature`, its start value. */
  temperature?: number;
  /** Learn τ (as `log_inverse_temperature` = log(1/τ), so τ stays positive). Default false. */
  learnTemperature?: boolean;
}

/**
 * Cosine-similarity attention: `weights = softmax(cos(queryₜ, keyₛ) / τ)`, `context = weights·value`,
 * with `cos(q, k) = q·k / (|q| |k|)`: the article's `softmax(cosine_similarity(E))`, and the scaled
 * cosine attention of Swin v2 (Liu et al. 2022) when τ is learned. Scores are bounded in
 * [-1/τ, 1/τ], so no scaling by √d is needed. Query and key must have the same width.
 *
 * @example
 * ```ts
 * const attention = new CosineAttention({ temperature: 0.1, learnTemperature: true });
 * const context = attention.apply([embeddings, embeddings]) as tf.Tensor;
 * ```
 */
export class CosineAttention extends ScoredAttention {
  static className = 'CosineAttention';
  readonly temperature: number;
  readonly learnTemperature: boolean;
  private logInverseTemperature?: tf.LayerVariable;

  constructor(args: CosineAttentionArgs = {}) {
    super(args);
    this.temperature = args.temperature ?? 1;
    if (!(Number.isFinite(this.temperature) && this.temperature > 0)) {
      throw new Error(`${this.getClassName()}: temperature must be a positive number; got ${args.temperature}`);
    }
    this.learnTemperature = args.learnTemperature ?? false;
  }

  protected buildScore(queryShape: Shape, keyShape: Shape): void {
    if (queryShape[2] !== keyShape[2]) {
      throw new Error(`${this.getClassName()}: query and key need the same width for cosine similarity; got query [${queryShape}] and key [${keyShape}]`);
    }
    if (this.learnTemperature) {
      this.logInverseTemperature = this.addWeight('log_inverse_temperature', [], 'float32', tf.initializers.constant({ value: Math.log(1 / this.temperature) }));
    }
  }

  protected score(query: tf.Tensor3D, key: tf.Tensor3D): tf.Tensor3D {
    if (!this.logInverseTemperature) return cosineScore(query, key, 1 / this.temperature); // (batch, T, S)
    return tf.tidy(() => cosineScore(query, key, tf.exp(this.logInverseTemperature!.read()))); // (batch, T, S)
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), temperature: this.temperature, learnTemperature: this.learnTemperature };
  }
}
tf.serialization.registerClass(CosineAttention);
