import * as tf from '@tensorflow/tfjs';
import type { HfGpt2Config } from '../hf/config/hf-gpt2-config';
import type { HfForwardOptions, HfModelInputs, HfModelOutput, HfTextInputs } from '../hf/hf-model';
import { HfPretrainedModel, type HfModelOptions } from '../hf/hf-pretrained-model';
import { Gpt2Backbone, type Gpt2CallOutput } from './gpt2-backbone';

/** GPT-2's text inputs: HF's, plus `position_ids` (left-padded batches pass `cumsum(mask) − 1`) and `labels`. */
export interface Gpt2Inputs extends HfTextInputs {
  /** `(batch, tokens)`; default 0, 1, …. */
  readonly position_ids?: tf.Tensor2D;
  /**
   * GPT2LMHeadModel only: `(batch, tokens)` target ids, **not** shifted (pass the input ids; the
   * loss shifts inside), -100 where nothing is predicted (padding, a masked prompt). With them
   * `forward` also returns `loss`, as transformers does.
   */
  readonly labels?: tf.Tensor2D;
}

/** GPT2LMHeadModel's outputs: HF's, plus the causal-LM `loss` when `labels` were given. */
export interface Gpt2LmHeadOutput extends HfModelOutput {
  /** `(batch, tokens, vocab_size)`. */
  readonly logits: tf.Tensor3D;
  /** Mean cross-entropy over the counted (non -100) shifted labels; only with `labels`. */
  readonly loss?: tf.Scalar;
}

/**
 * What GPT2Model and GPT2LMHeadModel share: a {@link Gpt2Backbone} whose variables carry HF's
 * names (under `prefix`), and the checks of the inputs. @internal
 */
export abstract class Gpt2PretrainedModel extends HfPretrainedModel<HfGpt2Config> {
  readonly backbone: Gpt2Backbone;

  constructor(config: HfGpt2Config, architecture: string, prefix: string, options: HfModelOptions = {}) {
    super(config, architecture, options);
    this.backbone = new Gpt2Backbone(config, this.parameters, prefix);
  }

  /** Validates and runs the backbone; `head` maps its output to extra outputs (logits). */
  protected run(inputs: HfModelInputs, options: HfForwardOptions, head: (output: Gpt2CallOutput) => Readonly<Record<string, tf.Tensor>>): HfModelOutput {
    const text = this.textInputs(inputs) as Gpt2Inputs;
    const call = { inputIds: text.input_ids, attentionMask: text.attention_mask, positionIds: text.position_ids };
    this.backbone.validate(call, `${this.architecture}.forward`);
    return tf.tidy(() => {
      const output = this.backbone.call(call, { training: options.training, outputAttentions: options.outputAttentions, outputHiddenStates: options.outputHiddenStates });
      return {
        last_hidden_state: output.lastHiddenState,
        ...head(output),
        ...(output.hiddenStates ? { hidden_states: output.hiddenStates } : {}),
        ...(output.attentions ? { attentions: output.attentions } : {}),
      } as unknown as tf.TensorContainer;
    }) as unknown as HfModelOutput;
  }
}
