import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@heed/backends';
import { BertForSequenceClassification } from '../bert/bert-for-sequence-classification';
import { DistilBertForSequenceClassification } from '../distilbert/distilbert-for-sequence-classification';
import { RobertaForSequenceClassification } from '../roberta/roberta-for-sequence-classification';
import { ViTForImageClassification } from '../vit/vit-for-image-classification';
import { parseBertConfig } from './config/hf-bert-config';
import { parseDistilBertConfig } from './config/hf-distilbert-config';
import { parseRobertaConfig } from './config/hf-roberta-config';
import { parseVitConfig } from './config/hf-vit-config';
import type { HfModelInputs } from './hf-model';
import type { HfPretrainedModel } from './hf-pretrained-model';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const small = { vocab_size: 30, hidden_size: 8, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 16, max_position_embeddings: 12 };
const smallDistil = { vocab_size: 30, dim: 8, n_layers: 1, n_heads: 2, hidden_dim: 16, max_position_embeddings: 12 };
const smallVit = { hidden_size: 8, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 16, image_size: 8, patch_size: 4, num_channels: 3 };

/** max |training − eval| of the last hidden state (the logits are tiny at initializer_range 0.02). */
async function trainingChange(model: HfPretrainedModel, inputs: HfModelInputs): Promise<number> {
  const evaluation = model.forward(inputs);
  const training = model.forward(inputs, { training: true });
  const change = (await tf.max(tf.abs(tf.sub(training.last_hidden_state, evaluation.last_hidden_state))).data())[0]!;
  tf.dispose([...Object.values(evaluation), ...Object.values(training)] as tf.Tensor[]);
  return change;
}

describe('dropout from config.json, where transformers puts it', () => {
  const ids = () => ({ input_ids: tf.tensor2d([[2, 5, 7, 9, 3]], undefined, 'int32') });

  it('BERT and RoBERTa: attention_probs_dropout_prob on the attention weights, hidden_dropout_prob on the sublayer outputs, none in the FFN', async () => {
    const bert = new BertForSequenceClassification(parseBertConfig({ ...small, hidden_dropout_prob: 0.2, attention_probs_dropout_prob: 0.3 }));
    expect(bert.backbone.blocks[0]!.config).toMatchObject({ dropout: 0.2, attentionDropout: 0.3, attentionOutputDropout: 0.2, intermediateDropout: 0 });
    const roberta = new RobertaForSequenceClassification(parseRobertaConfig({ ...small, max_position_embeddings: 14, hidden_dropout_prob: 0, attention_probs_dropout_prob: 0.4 }));
    expect(roberta.backbone.blocks[0]!.config).toMatchObject({ dropout: 0, attentionDropout: 0.4, attentionOutputDropout: 0, intermediateDropout: 0 });
    const inputs = ids();
    // Attention dropout alone changes a training forward; with both rates 0 (and the classifier's) training equals eval exactly.
    expect(await trainingChange(roberta, inputs)).toBeGreaterThan(1e-4);
    const none = new BertForSequenceClassification(parseBertConfig({ ...small, hidden_dropout_prob: 0, attention_probs_dropout_prob: 0 }));
    expect(await trainingChange(none, inputs)).toBe(0);
    const attentionOnly = new BertForSequenceClassification(parseBertConfig({ ...small, hidden_dropout_prob: 0, attention_probs_dropout_prob: 0.5 }));
    expect(await trainingChange(attentionOnly, inputs)).toBeGreaterThan(1e-4);
    tf.dispose(inputs.input_ids);
    for (const model of [bert, roberta, none, attentionOnly]) model.dispose();
  });

  it('DistilBERT: attention_dropout on the weights, dropout after the FFN only (none on the attention output)', async () => {
    const model = new DistilBertForSequenceClassification(parseDistilBertConfig({ ...smallDistil, dropout: 0.2, attention_dropout: 0.3 }));
    expect(model.backbone.blocks[0]!.config).toMatchObject({ dropout: 0.2, attentionDropout: 0.3, attentionOutputDropout: 0, intermediateDropout: 0 });
    const attentionOnly = new DistilBertForSequenceClassification(parseDistilBertConfig({ ...smallDistil, dropout: 0, attention_dropout: 0.5, seq_classif_dropout: 0 }));
    const inputs = ids();
    expect(await trainingChange(attentionOnly, inputs)).toBeGreaterThan(1e-4);
    tf.dispose(inputs.input_ids);
    model.dispose();
    attentionOnly.dispose();
  });

  it('ViT: attention_probs_dropout_prob on the weights, hidden_dropout_prob elsewhere, none on the MLP hidden layer', async () => {
    const model = new ViTForImageClassification(parseVitConfig({ ...smallVit, hidden_dropout_prob: 0.1, attention_probs_dropout_prob: 0.25 }));
    expect(model.backbone.blocks[0]!.config).toMatchObject({ dropout: 0.1, attentionDropout: 0.25, attentionOutputDropout: 0.1, intermediateDropout: 0 });
    const attentionOnly = new ViTForImageClassification(parseVitConfig({ ...smallVit, hidden_dropout_prob: 0, attention_probs_dropout_prob: 0.5 }));
    const none = new ViTForImageClassification(parseVitConfig({ ...smallVit, hidden_dropout_prob: 0, attention_probs_dropout_prob: 0 }));
    const inputs = { pixel_values: tf.randomNormal([2, 3, 8, 8], 0, 1, 'float32', 3) as tf.Tensor4D };
    expect(await trainingChange(attentionOnly, inputs)).toBeGreaterThan(1e-4);
    expect(await trainingChange(none, inputs)).toBe(0);
    tf.dispose(inputs.pixel_values);
    for (const each of [model, attentionOnly, none]) each.dispose();
  });
});
