import { BertForMaskedLM } from '../bert/bert-for-masked-lm';
import { BertForSequenceClassification } from '../bert/bert-for-sequence-classification';
import { BertForTokenClassification } from '../bert/bert-for-token-classification';
import { BertModel } from '../bert/bert-model';
import { DistilBertForSequenceClassification } from '../distilbert/distilbert-for-sequence-classification';
import { DistilBertForMaskedLM } from '../distilbert/distilbert-for-masked-lm';
import { DistilBertForTokenClassification } from '../distilbert/distilbert-for-token-classification';
import { DistilBertModel } from '../distilbert/distilbert-model';
import { GPT2LMHeadModel } from '../gpt2/gpt2-lm-head-model';
import { GPT2Model } from '../gpt2/gpt2-model';
import { RobertaForSequenceClassification } from '../roberta/roberta-for-sequence-classification';
import { RobertaForMaskedLM } from '../roberta/roberta-for-masked-lm';
import { RobertaForTokenClassification } from '../roberta/roberta-for-token-classification';
import { RobertaModel } from '../roberta/roberta-model';
import { ViTForImageClassification } from '../vit/vit-for-image-classification';
import { ViTModel } from '../vit/vit-model';
import type { HfConfig } from './config/hf-architectures';
import type { HfModelOptions, HfPretrainedModel } from './hf-pretrained-model';

/** A heed class of a Hugging Face architecture. */
export type HfModelClass = new (config: never, options?: HfModelOptions) => HfPretrainedModel;

/**
 * The HF classes heed implements, by `architectures` name (transformers.js' registry by class):
 * `fromPretrained` builds one of these.
 *
 * @example
 * ```ts
 * Object.keys(HF_MODEL_CLASSES); // ["BertModel", "BertForSequenceClassification", …]
 * ```
 */
export const HF_MODEL_CLASSES: Readonly<Record<string, { readonly modelType: HfConfig['model_type']; readonly create: HfModelClass }>> = {
  BertModel: { modelType: 'bert', create: BertModel },
  BertForSequenceClassification: { modelType: 'bert', create: BertForSequenceClassification },
  BertForMaskedLM: { modelType: 'bert', create: BertForMaskedLM },
  BertForTokenClassification: { modelType: 'bert', create: BertForTokenClassification },
  RobertaModel: { modelType: 'roberta', create: RobertaModel },
  RobertaForSequenceClassification: { modelType: 'roberta', create: RobertaForSequenceClassification },
  RobertaForMaskedLM: { modelType: 'roberta', create: RobertaForMaskedLM },
  RobertaForTokenClassification: { modelType: 'roberta', create: RobertaForTokenClassification },
  DistilBertModel: { modelType: 'distilbert', create: DistilBertModel },
  DistilBertForSequenceClassification: { modelType: 'distilbert', create: DistilBertForSequenceClassification },
  DistilBertForMaskedLM: { modelType: 'distilbert', create: DistilBertForMaskedLM },
  DistilBertForTokenClassification: { modelType: 'distilbert', create: DistilBertForTokenClassification },
  ViTModel: { modelType: 'vit', create: ViTModel },
  ViTForImageClassification: { modelType: 'vit', create: ViTForImageClassification },
  GPT2Model: { modelType: 'gpt2', create: GPT2Model },
  GPT2LMHeadModel: { modelType: 'gpt2', create: GPT2LMHeadModel },
};

/** The base-model class of each family (what `fromPretrained` builds when `architectures` is empty). */
export const HF_BASE_CLASSES: Readonly<Record<HfConfig['model_type'], string>> = {
  bert: 'BertModel', roberta: 'RobertaModel', distilbert: 'DistilBertModel', vit: 'ViTModel', gpt2: 'GPT2Model',
};
