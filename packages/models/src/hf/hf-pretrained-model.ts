import * as tf from '@tensorflow/tfjs';
import type { HfConfig } from './config/hf-architectures';
import type { HfForwardOptions, HfModel, HfModelInputs, HfModelOutput, HfModelWeight, HfTextInputs } from './hf-model';
import { HfParameters } from './hf-parameters';

/** Options of every HF model class's constructor. */
export interface HfModelOptions {
  /** Where warnings go (an input cut to the longest the positions allow, …). Default `console.warn`. */
  readonly onWarning?: (message: string) => void;
  /**
   * Draw HF's random initialization (default true). `fromPretrained` passes false: it loads every
   * weight and re-initializes only those the checkpoint lacks.
   */
  readonly initialize?: boolean;
}

/**
 * What the HF model classes share: the parsed config, the weights under their HF names (with the
 * layout transforms to and from HF tensors) and disposal. A new family registers its variables in
 * `parameters` in state-dict order and implements `forward`.
 *
 * @example
 * ```ts
 * const model: HfPretrainedModel = new BertForSequenceClassification(parseBertConfig({ num_labels: 3 }));
 * model.weights.find((weight) => weight.name === 'classifier.weight')!.variable.shape; // [768, 3]: heed's (in, out)
 * model.dispose();
 * ```
 */
export abstract class HfPretrainedModel<C extends HfConfig = HfConfig> implements HfModel<C> {
  /** @internal The weights with their HF shapes and transforms (used by fromPretrained / savePretrained). */
  readonly parameters: HfParameters;
  protected readonly onWarning: (message: string) => void;

  constructor(
    readonly config: C,
    readonly architecture: string,
    options: HfModelOptions = {},
  ) {
    this.onWarning = options.onWarning ?? ((message) => console.warn(message));
    this.parameters = new HfParameters(options.initialize ?? true);
  }

  get weights(): readonly HfModelWeight[] {
    return this.parameters.all.map(({ name, variable, trainable, displayName }) => ({ name, variable, trainable, displayName }));
  }

  abstract forward(inputs: HfModelInputs, options?: HfForwardOptions): HfModelOutput;

  dispose(): void {
    this.parameters.dispose();
  }

  /** The text inputs of `inputs`, or an error naming this class. */
  protected textInputs(inputs: HfModelInputs): HfTextInputs {
    if (typeof inputs !== 'object' || inputs === null || !('input_ids' in inputs)) {
      throw new Error(`${this.architecture}.forward: expected {input_ids, attention_mask?, token_type_ids?}; got ${inputs === null ? 'null' : typeof inputs === 'object' ? `{${Object.keys(inputs).join(', ')}}` : typeof inputs}`);
    }
    return inputs;
  }
}

/** Disposes the tensors of `cut` that are not the caller's own `inputs` (after truncation). @internal */
export function disposeCopies(cut: HfTextInputs, inputs: HfTextInputs): void {
  for (const key of ['input_ids', 'attention_mask', 'token_type_ids'] as const) {
    const tensor = cut[key];
    if (tensor && tensor !== inputs[key]) tensor.dispose();
  }
}

/** Dropout when training with a positive rate, else the identity. @internal */
export function maybeDropout<T extends tf.Tensor>(x: T, rate: number, training: boolean): T {
  return training && rate > 0 ? (tf.dropout(x, rate) as T) : x;
}
