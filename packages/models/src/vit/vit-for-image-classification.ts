import type * as tf from '@tensorflow/tfjs';
import type { HfVitConfig } from '../hf/config/hf-vit-config';
import { numLabels } from '../hf/config/pretrained-config';
import type { HfForwardOptions, HfModelInputs, HfModelOutput } from '../hf/hf-model';
import type { HfModelOptions } from '../hf/hf-pretrained-model';
import { classTokenOf, denseRows, VitPretrainedModel } from './vit-model';

/**
 * transformers' `ViTForImageClassification`: the ViT encoder (no pooler) and a linear classifier
 * on the final-normed [CLS] token, `logits = W · LN(h_L)[CLS] + b` `(batch, num_labels)`. Weights:
 * `vit.embeddings.…`, `vit.encoder.layer.i.…`, `vit.layernorm.…`, `classifier.weight/bias`; a
 * checkpoint without the classifier (a `ViTModel`) gets a fresh one and a warning.
 *
 * @example
 * ```ts
 * const model = await fromPretrained<ViTForImageClassification>('https://huggingface.co/google/vit-base-patch16-224/resolve/main');
 * const processor = await loadHfImageProcessor(source, { imageSize: model.config.image_size });
 * const { logits, attentions } = model.forward({ pixel_values: processor.preprocess(image) }, { outputAttentions: true }); // (1, 1000)
 * ```
 */
export class ViTForImageClassification extends VitPretrainedModel {
  private readonly classifier: { kernel: tf.Variable; bias: tf.Variable };

  constructor(config: HfVitConfig, options: HfModelOptions = {}) {
    super(config, 'ViTForImageClassification', 'vit', options);
    const [h, labels] = [config.hidden_size, numLabels(config)];
    this.classifier = this.parameters.linear('classifier', h, labels, config.initializer_range);
  }

  forward(inputs: HfModelInputs, options: HfForwardOptions = {}): HfModelOutput {
    return this.run(inputs, options, ({ lastHiddenState }) => ({ logits: denseRows(classTokenOf(lastHiddenState), this.classifier.kernel, this.classifier.bias) }));
  }
}
