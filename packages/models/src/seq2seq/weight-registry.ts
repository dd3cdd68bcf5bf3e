import * as tf from '@tensorflow/tfjs';
import { withSeededRandom } from '@heed/training';

/**
 * How a {@link WeightRegistry} weight starts.
 *
 * @example
 * ```ts
 * weights.add('decoder/output_bias', [43], 'zeros');
 * ```
 */
export type WeightInit = 'glorot' | 'orthogonal' | 'zeros' | 'ones' | 'embedding';

/**
 * The named variables of a model, in creation order, with stable names (`encoder/forward/kernel`)
 * for saving, loading and optimizers. Layers from @heed/attention join with {@link addLayer}.
 * Initialization is deterministic for a seed: two registries with the same seed create the same
 * values, layers built through {@link buildLayer} included.
 *
 * @example
 * ```ts
 * const weights = new WeightRegistry(0);
 * const kernel = weights.add('dense/kernel', [4, 8], 'glorot');
 * ```
 */
export class WeightRegistry {
  readonly variables = new Map<string, tf.Variable>();
  /** Positional names of {@link addLayer} weights (`prefix/<index>:kernel`, heed ≤ 0.1) → their role names. */
  private readonly positional = new Map<string, string>();
  private nextSeed: number;

  constructor(private readonly seed: number) {
    this.nextSeed = seed * 1000 + 1;
  }

  /** Creates and registers a trainable float32 variable. */
  add(name: string, shape: number[], init: WeightInit): tf.Variable {
    if (this.variables.has(name)) throw new Error(`WeightRegistry: duplicate weight name ${name}`);
    const seed = this.nextSeed++;
    const value = tf.tidy(() => {
      switch (init) {
        case 'zeros':
          return tf.zeros(shape);
        case 'ones':
          return tf.ones(shape);
        case 'embedding':
          return tf.randomUniform(shape, -0.1, 0.1, 'float32', seed);
        case 'orthogonal':
          return tf.initializers.orthogonal({ seed }).apply(shape);
        case 'glorot':
          return tf.initializers.glorotUniform({ seed }).apply(shape);
      }
    });
    const variable = tf.variable(value, true);
    value.dispose();
    this.variables.set(name, variable);
    return variable;
  }

  /**
   * Registers every weight of a built tfjs layer under `prefix/<role>`, the weight's name inside
   * the layer (Keras-hub's, e.g. `decoder/layer_0/self_attention/query/kernel`,
   * `decoder/attention/query_kernel`). Files of earlier versions named them by position,
   * `prefix/<index>:<last name part>`; {@link legacyNames} maps those to the role names.
   */
  addLayer(prefix: string, layer: tf.layers.Layer): void {
    layer.weights.forEach((weight, index) => {
      const inLayer = weight.originalName.startsWith(`${layer.name}/`) ? weight.originalName.slice(layer.name.length + 1) : weight.originalName;
      const name = `${prefix}/${inLayer}`;
      if (this.variables.has(name)) throw new Error(`WeightRegistry: duplicate weight name ${name}`);
      this.variables.set(name, weight.read() as tf.Variable);
      this.positional.set(`${prefix}/${index}:${weight.originalName.split('/').pop() ?? 'weight'}`, name);
    });
  }

  /**
   * Builds a tfjs layer with `build` (e.g. one call on zeros, inside a tidy) and registers its
   * weights as {@link addLayer} does. heed's attention layers and blocks, like tfjs layers without
   * seeded initializers, draw their initial values with seeds taken from `Math.random`; here
   * `Math.random` is a generator seeded from the registry's seed and `prefix`, so the values are
   * the same in every model built with the same seed (and the other weights' seeds are unchanged).
   *
   * @example
   * ```ts
   * weights.buildLayer('decoder/attention', attention, () => attention.apply([tf.zeros([1, 1, 256]), tf.zeros([1, 1, 256])]));
   * ```
   */
  buildLayer(prefix: string, layer: tf.layers.Layer, build: () => unknown): void {
    let hash = (Math.imul(this.seed, 0x9e3779b1) ^ 0x85ebca6b) >>> 0; // FNV-1a over the prefix, from the seed
    for (let i = 0; i < prefix.length; i++) hash = Math.imul(hash ^ prefix.charCodeAt(i), 0x01000193) >>> 0;
    withSeededRandom(hash || 1, () => tf.tidy(() => void build()));
    this.addLayer(prefix, layer);
  }

  /**
   * The positional names earlier versions saved {@link addLayer} weights under
   * (`decoder/attention/0:kernel`) → today's role names (`decoder/attention/kernel`), for loading
   * their files.
   *
   * @example
   * ```ts
   * weights.legacyNames().get('decoder/layer_0/0:kernel'); // 'decoder/layer_0/self_attention/query/kernel'
   * ```
   */
  legacyNames(): ReadonlyMap<string, string> {
    return this.positional;
  }

  /** All variables (trainable ones are what optimizers update). */
  list(): tf.Variable[] {
    return [...this.variables.values()];
  }

  dispose(): void {
    for (const variable of this.variables.values()) variable.dispose();
    this.variables.clear();
  }
}
