import type * as tf from '@tensorflow/tfjs';
import type { HfConfig } from './config/hf-architectures';

/** Text inputs as a Hugging Face tokenizer returns them: `(batch, tokens)` int32 (or 0/1) tensors. */
export interface HfTextInputs {
  /** Token ids `(batch, tokens)`. */
  readonly input_ids: tf.Tensor2D;
  /** 1 = a real token, 0 = padding `(batch, tokens)`. Default: all ones. */
  readonly attention_mask?: tf.Tensor2D;
  /** Segment ids `(batch, tokens)` (BERT sentence pairs). Default: zeros. Ignored by DistilBERT and one-type RoBERTa. */
  readonly token_type_ids?: tf.Tensor2D;
}

/** Image inputs: `pixel_values` `(batch, channels, height, width)`, as HF's image processors give them. */
export interface HfImageInputs {
  readonly pixel_values: tf.Tensor4D;
}

/** What {@link HfModel.forward} takes. */
export type HfModelInputs = HfTextInputs | HfImageInputs;

/** Options of {@link HfModel.forward} (HF's `output_attentions`, `output_hidden_states`, `model.train()`). */
export interface HfForwardOptions {
  /** Dropout on (HF `model.train()`). Default false (`model.eval()`). */
  readonly training?: boolean;
  /** Return every layer's attention weights `(batch, heads, query, key)`. Default false (the fused kernel may run). */
  readonly outputAttentions?: boolean;
  /** Return the embeddings and every layer's output `(batch, tokens, hidden)`. Default false. */
  readonly outputHiddenStates?: boolean;
}

/** The outputs of {@link HfModel.forward}, named as transformers' ModelOutput fields. */
export interface HfModelOutput {
  /** The task head's output: `(batch, labels)` for sequence classification, `(batch, tokens, labels|vocab)` for token classification / masked LM. */
  readonly logits?: tf.Tensor;
  /** The last layer's output `(batch, tokens, hidden)`. */
  readonly last_hidden_state: tf.Tensor3D;
  /** `tanh(dense(last_hidden_state[:, 0]))` `(batch, hidden)`, for classes with a pooler. */
  readonly pooler_output?: tf.Tensor2D;
  /** With `outputHiddenStates`: the embeddings, then each layer's output (`num_hidden_layers + 1` tensors). */
  readonly hidden_states?: tf.Tensor3D[];
  /** With `outputAttentions`: each layer's softmax weights `(batch, heads, query, key)`. */
  readonly attentions?: tf.Tensor4D[];
}

/**
 * One weight of a Hugging Face model, shaped like @heed/training's `ModelWeight`: `name` is the HF
 * state-dict name (`bert.encoder.layer.0.attention.self.query.weight`), `variable` holds heed's
 * layout (a Linear weight `(out, in)` is stored as a kernel `(in, out)`, attention projections as
 * `(in, heads, headDim)`).
 */
export interface HfModelWeight {
  readonly name: string;
  readonly variable: tf.Variable;
  /** False for fixed tensors (DistilBERT's sinusoidal position table). */
  readonly trainable: boolean;
  readonly displayName: string;
}

/**
 * A Hugging Face model class (`BertForSequenceClassification`, …) in heed: its parsed config, its
 * weights under their HF names, and `forward` with HF's inputs and output names.
 */
export interface HfModel<C extends HfConfig = HfConfig> {
  /** The parsed `config.json`. */
  readonly config: C;
  /** The HF class name, e.g. `BertForSequenceClassification` (written to `architectures` on save). */
  readonly architecture: string;
  /** Every weight, in the HF state-dict order. */
  readonly weights: readonly HfModelWeight[];
  /** Runs the model; every returned tensor belongs to the caller. */
  forward(inputs: HfModelInputs, options?: HfForwardOptions): HfModelOutput;
  /** Frees every variable. */
  dispose(): void;
}
