import * as tf from '@tensorflow/tfjs';
import { conv2dToPatchKernel, linearToKernel, patchKernelToConv2d } from './convert/hf-weight-transforms';
import type { HfModelWeight } from './hf-model';
import type { TensorReader } from './safetensors/sharded-safetensors';
import { variableStorage } from './variable-storage';

/**
 * How an HF tensor becomes a heed variable: `copy` keeps the values in order (embeddings,
 * LayerNorm, biases; a `(out,)` attention bias may be held as `(heads, headDim)`); `linear`
 * transposes a `torch.nn.Linear` weight `(out, in)` to a kernel `(in, out)` (then reshaped to the
 * variable, e.g. `(in, heads, headDim)`); `conv2d-patch` reorders ViT's Conv2d patch projection
 * `(out, in, kh, kw)` to heed's patch kernel `(kh·kw·in, out)`.
 */
export type HfWeightTransform = 'copy' | 'linear' | 'conv2d-patch';

/** One registered weight: its HF name and shape, its variable and the transform between them. */
export interface HfParameter extends HfModelWeight {
  /** The shape in the HF state dict. */
  readonly hfShape: readonly number[];
  readonly transform: HfWeightTransform;
}

const size = (shape: readonly number[]) => shape.reduce((product, dim) => product * dim, 1);

/**
 * The weights of one HF model by state-dict name, with the layout changes between HF tensors and
 * heed variables, both ways. @internal
 */
export class HfParameters {
  private readonly byName = new Map<string, HfParameter>();

  /**
   * @param initialize - Draw HF's random initialization (default). False is for a model whose
   * weights are about to be loaded (`fromPretrained` then {@link HfParameters.reinitialize}s only
   * the tensors the checkpoint lacks): no random draw runs, fresh variables are filled with zeros
   * (ones for LayerNorm weights) and a block's variables keep the values the block built them
   * with, so bert-base builds in a fraction of the time and in its own size of memory.
   */
  constructor(readonly initialize = true) {}

  /**
   * Sets `variable` (a block's, built elsewhere) to HF's initial values: normal(0, std), ones or
   * zeros. Not initializing, it is left as built (a second allocation per variable would leave
   * holes in the wasm heap that outlive the load).
   */
  initialValues(variable: tf.Variable, init: 'normal' | 'zeros' | 'ones', std: number): void {
    if (!this.initialize) return;
    tf.tidy(() => variable.assign(init === 'normal' ? tf.randomNormal(variable.shape, 0, std) : init === 'ones' ? tf.onesLike(variable) : tf.zerosLike(variable)));
  }

  /** Registers `variable` as HF tensor `name` of shape `hfShape`. */
  add(name: string, variable: tf.Variable, hfShape: readonly number[], transform: HfWeightTransform, trainable = true): tf.Variable {
    if (this.byName.has(name)) throw new Error(`HfParameters: ${name} registered twice`);
    if (size(hfShape) !== variable.size) throw new Error(`HfParameters: ${name} has HF shape [${hfShape.join(', ')}] but its variable has shape [${variable.shape.join(', ')}]`);
    this.byName.set(name, { name, variable, hfShape, transform, trainable, displayName: name });
    return variable;
  }

  /** A fresh variable (HF's init: normal(0, std); LayerNorm ones/zeros; biases zeros) registered as `name`. */
  create(name: string, shape: number[], hfShape: readonly number[], transform: HfWeightTransform, init: 'normal' | 'zeros' | 'ones', std: number, trainable = true): tf.Variable {
    // tf.fill writes in the backend's memory (tf.zeros would build the values in JavaScript first).
    const initial = tf.tidy(() => (init === 'normal' && this.initialize ? tf.randomNormal(shape, 0, std) : tf.fill(shape, init === 'ones' ? 1 : 0, 'float32')));
    const variable = tf.variable(initial, trainable);
    initial.dispose(); // the variable holds the data
    return this.add(name, variable, hfShape, transform, trainable);
  }

  /**
   * A fresh `torch.nn.Linear(inputs, outputs)` registered as `name.weight` (HF `(out, in)`, held as a
   * kernel `(in, out)`, normal(0, std)) and `name.bias` (`(out,)`, zeros), as HF initializes a head.
   *
   * @example
   * ```ts
   * const classifier = parameters.linear('classifier', 768, 2, 0.02); // { kernel (768, 2), bias (2,) }
   * const logits = denseLastAxis(hidden, classifier.kernel, classifier.bias); // (batch, 2)
   * ```
   */
  linear(name: string, inputs: number, outputs: number, std: number): { kernel: tf.Variable; bias: tf.Variable } {
    return {
      kernel: this.create(`${name}.weight`, [inputs, outputs], [outputs, inputs], 'linear', 'normal', std),
      bias: this.create(`${name}.bias`, [outputs], [outputs], 'copy', 'zeros', std),
    };
  }

  /**
   * A fresh `torch.nn.LayerNorm(width)` registered as `name.weight` (ones) and `name.bias` (zeros).
   *
   * @example
   * ```ts
   * const norm = parameters.layerNorm('cls.predictions.transform.LayerNorm', 768); // { gamma (768,), beta (768,) }
   * ```
   */
  layerNorm(name: string, width: number): { gamma: tf.Variable; beta: tf.Variable } {
    return { gamma: this.create(`${name}.weight`, [width], [width], 'copy', 'ones', 0), beta: this.create(`${name}.bias`, [width], [width], 'copy', 'zeros', 0) };
  }

  get(name: string): HfParameter | undefined {
    return this.byName.get(name);
  }

  get all(): HfParameter[] {
    return [...this.byName.values()];
  }

  /** HF tensor values (as stored: `(out, in)` for Linear) → the variable's layout. */
  toVariableLayout(name: string, data: Float32Array): Float32Array {
    const parameter = this.byName.get(name)!;
    if (parameter.transform === 'conv2d-patch') return conv2dToPatchKernel(data, parameter.hfShape);
    return parameter.transform === 'linear' ? linearToKernel(data, parameter.hfShape) : data;
  }

  /**
   * Streams checkpoint tensor `stored` from `reader` into the variable of `name`, piece by piece
   * ({@link TensorReader.readFloat32}), laid out for heed on the way (a Linear weight transposed
   * element by element; a ViT patch kernel reordered as a whole). On the wasm and cpu backends the
   * pieces go straight into the variable's memory, so loading a checkpoint takes about its own
   * size; elsewhere (WebGL, WebGPU) the tensor is gathered once and assigned.
   *
   * @example
   * ```ts
   * await model.parameters.load('bert.encoder.layer.0.attention.self.query.weight', reader, 'encoder.layer.0.attention.self.query.weight');
   * ```
   */
  async load(name: string, reader: TensorReader, stored: string): Promise<void> {
    const parameter = this.byName.get(name)!;
    const { variable, transform, hfShape } = parameter;
    if (transform === 'conv2d-patch') {
      const whole = new Float32Array(variable.size);
      await reader.readFloat32(stored, (values, start) => whole.set(values, start));
      const storage = variableStorage(variable);
      if (storage) storage().set(this.toVariableLayout(name, whole));
      else this.assign(name, whole);
      return;
    }
    const storage = variableStorage(variable);
    const whole = storage ? undefined : new Float32Array(variable.size);
    const target = storage ?? (() => whole!);
    if (transform === 'copy') {
      await reader.readFloat32(stored, (values, start) => target().set(values, start));
    } else {
      // Element (o, i) of the (out, in) weight is element (i, o) of the (in, out) kernel.
      const [out, inputs] = hfShape as [number, number];
      await reader.readFloat32(stored, (values, start) => {
        const kernel = target();
        let o = Math.floor(start / inputs);
        let i = start - o * inputs;
        for (let k = 0; k < values.length; k += 1) {
          kernel[i * out + o] = values[k]!;
          if (++i === inputs) { i = 0; o += 1; }
        }
      });
    }
    if (whole) tf.tidy(() => variable.assign(tf.tensor(whole, variable.shape, 'float32')));
  }

  /** Writes HF tensor values into the variable of `name`. */
  assign(name: string, data: Float32Array): void {
    const parameter = this.byName.get(name)!;
    tf.tidy(() => parameter.variable.assign(tf.tensor(this.toVariableLayout(name, data), parameter.variable.shape, 'float32')));
  }

  /** Re-initializes `name` as HF's `_init_weights` does for a fresh head. */
  reinitialize(name: string, std: number): void {
    const parameter = this.byName.get(name)!;
    const kind = /(?:layernorm|layer_norm)[a-z_]*\.weight$/i.test(name) ? 'ones' : /(?:^|\.)bias$/.test(name) ? 'zeros' : 'normal';
    tf.tidy(() => parameter.variable.assign(kind === 'normal' ? tf.randomNormal(parameter.variable.shape, 0, std) : kind === 'ones' ? tf.onesLike(parameter.variable) : tf.zerosLike(parameter.variable)));
  }

  /** The values of `name` in the HF layout (`(out, in)` for Linear), read from the variable. */
  async hfData(name: string): Promise<Float32Array> {
    return this.toHfLayout(name, (await this.byName.get(name)!.variable.data()) as Float32Array);
  }

  /** Values in the variable's layout (the variable's or its gradient's) → the HF layout. */
  toHfLayout(name: string, data: Float32Array): Float32Array {
    const parameter = this.byName.get(name)!;
    if (parameter.transform === 'conv2d-patch') return patchKernelToConv2d(data, parameter.hfShape);
    if (parameter.transform !== 'linear') return data;
    const [out, inputs] = parameter.hfShape as [number, number];
    return linearToKernel(data, [inputs, out]);
  }

  dispose(): void {
    for (const parameter of this.byName.values()) parameter.variable.dispose();
    this.byName.clear();
  }
}
