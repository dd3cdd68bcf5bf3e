import { describe, expect, it } from 'vitest';
import { blockActivation } from './hf-activation';
import { HF_MODEL_TYPES, hfArchitecture, hfConfigToJson, parseHfConfig } from './hf-architectures';
import { HfConfigError } from './hf-config-error';
import { robertaMaxTokens } from './hf-roberta-config';
import { numLabels } from './pretrained-config';

// The config.json files of bert-base-uncased, roberta-base, distilbert-base-uncased-finetuned-sst-2-english
// and google/vit-base-patch16-224 as the Hub serves them (ViT's 1000 labels cut to 3).
const BERT_BASE = {
  architectures: ['BertForMaskedLM'], attention_probs_dropout_prob: 0.1, gradient_checkpointing: false, hidden_act: 'gelu',
  hidden_dropout_prob: 0.1, hidden_size: 768, initializer_range: 0.02, intermediate_size: 3072, layer_norm_eps: 1e-12,
  max_position_embeddings: 512, model_type: 'bert', num_attention_heads: 12, num_hidden_layers: 12, pad_token_id: 0,
  position_embedding_type: 'absolute', transformers_version: '4.6.0.dev0', type_vocab_size: 2, use_cache: true, vocab_size: 30522,
};
const ROBERTA_BASE = {
  architectures: ['RobertaForMaskedLM'], attention_probs_dropout_prob: 0.1, bos_token_id: 0, eos_token_id: 2, hidden_act: 'gelu',
  hidden_dropout_prob: 0.1, hidden_size: 768, initializer_range: 0.02, intermediate_size: 3072, layer_norm_eps: 1e-5,
  max_position_embeddings: 514, model_type: 'roberta', num_attention_heads: 12, num_hidden_layers: 12, pad_token_id: 1,
  type_vocab_size: 1, vocab_size: 50265,
};
const DISTILBERT_SST2 = {
  activation: 'gelu', architectures: ['DistilBertForSequenceClassification'], attention_dropout: 0.1, dim: 768, dropout: 0.1,
  finetuning_task: 'sst-2', hidden_dim: 3072, id2label: { 0: 'NEGATIVE', 1: 'POSITIVE' }, initializer_range: 0.02,
  label2id: { NEGATIVE: 0, POSITIVE: 1 }, max_position_embeddings: 512, model_type: 'distilbert', n_heads: 12, n_layers: 6,
  output_past: true, pad_token_id: 0, qa_dropout: 0.1, seq_classif_dropout: 0.2, sinusoidal_pos_embds: false, tie_weights_: true, vocab_size: 30522,
};
const VIT_BASE = {
  architectures: ['ViTForImageClassification'], attention_probs_dropout_prob: 0.0, hidden_act: 'gelu', hidden_dropout_prob: 0.0,
  hidden_size: 768, id2label: { 0: 'tench, Tinca tinca', 1: 'goldfish, Carassius auratus', 2: 'great white shark' },
  image_size: 224, initializer_range: 0.02, intermediate_size: 3072,
  label2id: { 'tench, Tinca tinca': 0, 'goldfish, Carassius auratus': 1, 'great white shark': 2 },
  layer_norm_eps: 1e-12, model_type: 'vit', num_attention_heads: 12, num_channels: 3, num_hidden_layers: 12, patch_size: 16,
  qkv_bias: true, transformers_version: '4.13.0.dev0',
};

function errorOf(run: () => unknown): HfConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(HfConfigError);
    return error as HfConfigError;
  }
  throw new Error('expected an HfConfigError');
}

describe('parseHfConfig on published configs', () => {
  it('reads bert-base-uncased', () => {
    const config = parseHfConfig(JSON.stringify(BERT_BASE));
    expect(config.model_type).toBe('bert');
    if (config.model_type !== 'bert') return;
    expect(config).toMatchObject({ hidden_size: 768, num_hidden_layers: 12, hidden_act: 'gelu', layer_norm_eps: 1e-12, type_vocab_size: 2, pad_token_id: 0 });
    expect(config.architectures).toEqual(['BertForMaskedLM']);
    expect(config.id2label).toEqual({ 0: 'LABEL_0', 1: 'LABEL_1' }); // transformers' default num_labels 2
    expect(config.classifier_dropout).toBeNull();
  });

  it('reads roberta-base: pad 1, eps 1e-5, one token type, 512 usable positions of 514', () => {
    const config = parseHfConfig(ROBERTA_BASE);
    if (config.model_type !== 'roberta') throw new Error(config.model_type);
    expect(config).toMatchObject({ pad_token_id: 1, bos_token_id: 0, eos_token_id: 2, layer_norm_eps: 1e-5, type_vocab_size: 1 });
    expect(robertaMaxTokens(config)).toBe(512);
  });

  it('reads DistilBERT SST-2 with its own field names and labels', () => {
    const config = parseHfConfig(DISTILBERT_SST2);
    if (config.model_type !== 'distilbert') throw new Error(config.model_type);
    expect(config).toMatchObject({ dim: 768, n_layers: 6, n_heads: 12, hidden_dim: 3072, sinusoidal_pos_embds: false, seq_classif_dropout: 0.2, activation: 'gelu' });
    expect(config.id2label).toEqual({ 0: 'NEGATIVE', 1: 'POSITIVE' });
    expect(config.label2id).toEqual({ NEGATIVE: 0, POSITIVE: 1 });
    // The BERT names are aliases, as DistilBertConfig's attribute_map makes them.
    expect(parseHfConfig({ model_type: 'distilbert', hidden_size: 64, num_attention_heads: 4, num_hidden_layers: 2, intermediate_size: 100 }))
      .toMatchObject({ dim: 64, n_heads: 4, n_layers: 2, hidden_dim: 100 });
  });

  it('reads google/vit-base-patch16-224', () => {
    const config = parseHfConfig(VIT_BASE);
    if (config.model_type !== 'vit') throw new Error(config.model_type);
    expect(config).toMatchObject({ image_size: 224, patch_size: 16, num_channels: 3, qkv_bias: true, hidden_dropout_prob: 0, layer_norm_eps: 1e-12 });
    expect(numLabels(config)).toBe(3);
    expect(config.id2label[2]).toBe('great white shark');
    expect(parseHfConfig({ model_type: 'vit', image_size: [32, 32], patch_size: 8 })).toMatchObject({ image_size: 32, patch_size: 8 });
  });

  it('applies each family default when a field is missing', () => {
    expect(parseHfConfig({ model_type: 'bert' })).toMatchObject({ vocab_size: 30522, hidden_size: 768, max_position_embeddings: 512, hidden_dropout_prob: 0.1, pad_token_id: 0 });
    expect(parseHfConfig({ model_type: 'roberta' })).toMatchObject({ vocab_size: 50265, pad_token_id: 1, layer_norm_eps: 1e-12 });
    expect(parseHfConfig({ model_type: 'distilbert' })).toMatchObject({ dim: 768, n_layers: 6, n_heads: 12, hidden_dim: 3072, dropout: 0.1, pad_token_id: 0 });
    expect(parseHfConfig({ model_type: 'vit' })).toMatchObject({ image_size: 224, patch_size: 16, num_channels: 3, qkv_bias: true, hidden_dropout_prob: 0, encoder_stride: 16 });
    expect(parseHfConfig({ model_type: 'bert', num_labels: 3 }).id2label).toEqual({ 0: 'LABEL_0', 1: 'LABEL_1', 2: 'LABEL_2' });
  });

  it('round-trips every family through the JSON it writes', () => {
    for (const published of [BERT_BASE, ROBERTA_BASE, DISTILBERT_SST2, VIT_BASE]) {
      const config = parseHfConfig(published);
      const written = hfConfigToJson(config);
      expect(parseHfConfig(JSON.parse(JSON.stringify(written)) as Record<string, unknown>)).toEqual(config);
      expect(written.model_type).toBe(published.model_type);
      expect(written.architectures).toEqual(published.architectures);
      for (const [key, value] of Object.entries(published)) {
        if (['gradient_checkpointing', 'transformers_version', 'use_cache', 'finetuning_task', 'output_past', 'tie_weights_'].includes(key)) continue;
        expect(written[key], key).toEqual(typeof value === 'object' && !Array.isArray(value) ? JSON.parse(JSON.stringify(value)) : value);
      }
    }
  });
});

describe('the architecture registry', () => {
  it('finds the family from model_type or, without one, from architectures', () => {
    expect(HF_MODEL_TYPES).toEqual(['bert', 'roberta', 'distilbert', 'vit', 'gpt2']);
    expect(hfArchitecture({ architectures: ['RobertaForSequenceClassification'] }).modelType).toBe('roberta');
    expect(hfArchitecture({ architectures: ['ViTModel'] }).basePrefix).toBe('vit');
    expect(parseHfConfig({ architectures: ['DistilBertForMaskedLM'] }).model_type).toBe('distilbert');
  });

  it('an unknown model_type or class lists the supported ones', () => {
    const unknown = errorOf(() => parseHfConfig({ model_type: 'llama' }));
    expect(unknown.message).toMatch(/^config\.json model_type: "llama" is not supported; supported: bert \(BertModel, BertForSequenceClassification.*\); roberta \(.*\); distilbert \(.*\); vit \(ViTModel, ViTForImageClassification\); gpt2 \(GPT2Model, GPT2LMHeadModel\)$/);
    expect(errorOf(() => parseHfConfig({ architectures: ['LlamaForCausalLM'] }, 'https://x/config.json')).message).toMatch(/^https:\/\/x\/config\.json model_type: missing, and architectures \["LlamaForCausalLM"\] name no supported class/);
    expect(errorOf(() => parseHfConfig({ model_type: 'bert', architectures: ['BertForQuestionAnswering'] })).message)
      .toMatch(/architectures: \["BertForQuestionAnswering"\] not supported for model_type bert; supported: BertModel, /);
  });
});

describe('config errors name the file, the field, the expected and the actual value', () => {
  it.each([
    [{ model_type: 'bert', hidden_act: 'swiglu' }, /hidden_act: expected one of "gelu", "gelu_new", .*; got "swiglu"/],
    [{ model_type: 'bert', hidden_size: 100, num_attention_heads: 12 }, /num_attention_heads: must divide hidden_size 100; got 12/],
    [{ model_type: 'bert', layer_norm_eps: 0 }, /layer_norm_eps: expected a number in \(0, ∞\); got 0/],
    [{ model_type: 'bert', hidden_dropout_prob: 1.5 }, /hidden_dropout_prob: expected a number in \[0, 1\); got 1\.5/],
    [{ model_type: 'bert', vocab_size: 10, pad_token_id: 12 }, /pad_token_id: must be below vocab_size 10; got 12/],
    [{ model_type: 'bert', position_embedding_type: 'relative_key' }, /position_embedding_type: expected one of "absolute"; got "relative_key"/],
    [{ model_type: 'bert', is_decoder: true }, /is_decoder: decoder .* not supported/],
    [{ model_type: 'bert', num_hidden_layers: 2.5 }, /num_hidden_layers: expected an integer ≥ 1; got 2\.5/],
    [{ model_type: 'bert', id2label: { 0: 'a', 2: 'b' } }, /id2label: ids must be 0\.\.1; got 0, 2/],
    [{ model_type: 'bert', id2label: { 0: 'a', 1: 'b' }, label2id: { a: 1, b: 0 } }, /label2id\.a: is 1 but id2label gives 0/],
    [{ model_type: 'bert', id2label: { 0: 'a', 1: 'b' }, num_labels: 3 }, /num_labels: is 3 but id2label has 2 labels/],
    [{ model_type: 'distilbert', dim: 10, n_heads: 4 }, /n_heads: must divide dim 10; got 4/],
    [{ model_type: 'distilbert', sinusoidal_pos_embds: 'yes' }, /sinusoidal_pos_embds: expected true or false; got "yes"/],
    [{ model_type: 'vit', image_size: 30, patch_size: 8 }, /image_size: must be a multiple of patch_size 8; got 30/],
    [{ model_type: 'vit', image_size: [32, 48] }, /image_size: only square sizes are supported; got \[32,48\]/],
  ])('%j', (json, message) => {
    expect(errorOf(() => parseHfConfig(json as Record<string, unknown>)).message).toMatch(message);
  });

  it('names malformed JSON', () => {
    expect(errorOf(() => parseHfConfig('{"model_type": ', 'bert/config.json')).message).toMatch(/^bert\/config\.json: not valid JSON/);
    expect(errorOf(() => parseHfConfig('[]')).message).toMatch(/expected a JSON object; got \[\]/);
  });

  it('folds activation aliases to the function they stand for', () => {
    expect(blockActivation('gelu_pytorch_tanh')).toBe('gelu_new');
    expect(blockActivation('gelu')).toBe('gelu');
    expect(blockActivation('swish')).toBe('silu');
  });
});
