/**
 * @heed/models: Seq2Seq with attention, a ViT classifier and text classifiers.
 * @packageDocumentation
 */
export { fnv1a32, splitOf, type Split } from './data/dataset-split';
export { groupBySplit, type SplitDataset } from './data/split-dataset';
export { ARPABET_PHONEMES, arpabetPhonemes } from './data/cmudict/arpabet';
export { cmudictG2P, type CmudictDict, type G2PExample } from './data/cmudict/cmudict-g2p';
export { DATE_FORMATS, type DateFormat } from './data/dates/date-formats';
export { parseHumanDate } from './data/dates/parse-human-date';
export { datesDataset, generateDates, type DateExample, type DatesOptions } from './data/dates/dates-dataset';
export { stratifiedIsTest, stratifiedTestCount, type ImageSet, type ImageSplit } from './data/images/stratified-image-split';
export { mnistDataset } from './data/mnist/mnist-dataset';
export type { TextExample } from './data/text/text-example';
export {
  SENTIMENT_LABELS, sentimentCrossDomain, sentimentDataset, sentimentExamples,
  type SentimentExample, type SentimentRaw, type SentimentRawRow, type SentimentSource,
} from './data/text/sentiment-dataset';
export { parseEmail, type ParsedEmail } from './data/text/parse-email';
export { mobyDickChapterNumber, mobyDickDataset, type MobyDickPart, type MobyDickSplit } from './data/text/moby-dick-dataset';
export { SPAM_LABELS, spamAssassinDataset, type SpamAssassinRawEmail, type SpamExample } from './data/text/spam-assassin-dataset';
export { G2P_SPECIAL_TOKENS, g2pVocabularies, type G2PVocabularies } from './data/vocab/g2p-vocabularies';
export { datesVocabularies, type DatesVocabularies } from './data/vocab/dates-vocabularies';
export { sklearnDigitsDataset } from './data/digits/sklearn-digits-dataset';
export { Seq2Seq, MAX_BEAM_SIZE, type GenerateOptions, type Seq2SeqLossOptions, type Seq2SeqSessionOptions, type Seq2SeqVocabularies } from './seq2seq/seq2seq';
export {
  SEQ2SEQ_ATTENTIONS, resolveSeq2SeqConfig,
  type ResolvedSeq2SeqConfig, type Seq2SeqAttention, type Seq2SeqConfig, type Seq2SeqEncoderCell,
} from './seq2seq/seq2seq-config';
export type { DecoderSession, GeneratedSequence, SamplerOptions } from './samplers/decoder-session';
export { greedySearch } from './samplers/greedy-search';
export { beamSearch, type BeamSearchOptions } from './samplers/beam-search';
export { multinomialSample, nextTokenLogProbs, type MultinomialSampleOptions } from './samplers/multinomial-sample';
export type { DecodedSequence } from './seq2seq/decoding-session';
export { WeightRegistry, type WeightInit } from './seq2seq/weight-registry';
export { SEQ2SEQ_FAMILY, SEQ2SEQ_FORMAT, type Seq2SeqTopology } from './seq2seq/seq2seq-io';
export {
  evaluateG2P, g2pPairs, lengthBatches, scoreG2P, tokenizerVocabSize,
  type G2PScores, type IdPair,
} from './seq2seq/g2p-task';
export { resolveVitConfig, patchGrid, type VisionTransformerConfig, type ResolvedVitConfig } from './vit/vit-config';
export { PatchEmbedding, extractPatches, type PatchEmbeddingArgs } from './vit/patch-embedding';
export { ClassToken } from './layers/class-token';
export { AddPositionEmbedding, type AddPositionEmbeddingArgs } from './layers/add-position-embedding';
export { TokenPooling, type TokenPoolingArgs } from './layers/token-pooling';
export { LayerNorm, type LayerNormArgs } from './layers/layer-norm';
export { VitBackbone, type VitBackboneOutput, type VitForwardOptions } from './vit/vit-backbone';
export { VIT_FAMILY, VisionTransformer, VitImageClassifier, type VitAttentionMaps, type VitImageClassifierOutput } from './vit/vit-image-classifier';
export { attentionRollout, type AttentionRolloutOptions } from './explain/attention-rollout';
export { resolveTextClassifierConfig, type TextClassifierConfig, type TextClassifierKind, type ResolvedTextClassifierConfig } from './text-classifier/text-classifier-config';
export { AttentionPooling, type AttentionPoolingArgs } from './layers/attention-pooling';
export { PaddingMaskFromIds, type PaddingMaskFromIdsArgs } from './layers/padding-mask-from-ids';
export { trainWordPieceTokenizer, type TrainWordPieceOptions } from './text-classifier/wordpiece-tokenizer';
export { TEXT_FAMILY, TextClassifier, type TextExplanation } from './text-classifier/text-classifier';
export { TokenEmbedding, type TokenEmbeddingArgs } from './layers/token-embedding';
export { gatherRows } from './layers/gather-rows';
export { GraphMaskedEncoderBlock } from './text-transformer/graph-masked-encoder-block';
export { TEXT_BACKBONES } from './text-classifier/text-classifier';
export type { TextBackbone } from './text-classifier/text-backbone';
export { BilstmAttentionBackbone } from './bilstm-attention/bilstm-attention-backbone';
export type { BilstmAttentionConfig } from './bilstm-attention/bilstm-attention-config';
export { BILSTM_ATTENTION_PRESETS } from './bilstm-attention/presets';
export { TextTransformerBackbone, type TextTransformerForwardOptions, type TextTransformerOutput } from './text-transformer/text-transformer-backbone';
export type { TextTransformerConfig } from './text-transformer/text-transformer-config';
export { TEXT_TRANSFORMER_PRESETS } from './text-transformer/presets';
export { VIT_PRESETS } from './vit/presets';
export type { ModelPreset } from './pretrained/model-preset';
export {
  detectModelFamily, familyOfHfModelType, loadSavedModel, modelFamilies, modelFamily, modelFromSaved, registerModelFamily,
  type ModelFamily, type SavedModelJson,
} from './pretrained/model-families';
// The heed model format: config.json (family + config) + model.safetensors (tensors named by role).
export {
  HEED_CONFIG_FILE, HEED_FORMAT, HEED_FORMAT_VERSION, HEED_WEIGHTS_FILE, decodeHeedModel, heedConfigJson, isHeedConfigJson, parseHeedConfig, readHeedWeights, serializeHeedModel,
  type HeedConfigJson, type HeedSavedModel, type HeedTensor,
} from './pretrained/heed-format';
export { HEED_STORAGE_FORMAT, isBrowserStorageDestination, isFolderDestination, locateSavedModel, readHeedModel, readHeedModelFromStorage, saveHeedModel, saveHeedModelToStorage, type ReadHeedModelOptions } from './pretrained/heed-model-io';
export { assignSavedTensors, layersModelSlots, loadSavedInto, readSlots, roleName, type TensorSlot } from './pretrained/saved-tensors';
export {
  PRETRAINED_FILES, PRETRAINED_HF_FILES, PRETRAINED_MODELS, PRETRAINED_NAMES, isPretrainedName, loadPretrainedUrl, pretrainedUrl,
  type PretrainedInfo, type PretrainedKind, type PretrainedModels, type PretrainedName,
} from './pretrained/pretrained-models';
export { layersDestination } from './pretrained/layers-destination';
export { HfTextClassifier, type HfTextAttentionMaps, type HfTextClassifierConfig } from './pretrained/hf-text-classifier';
// heed's one Node IO module lives in @heed/backends; these names stay importable from @heed/models.
export { MODEL_FILE, WEIGHTS_FILE, nodeFileHandler, readModelJson, weightBytes } from '@heed/backends';
export { layersFileHandler } from './pretrained/layers-file-handler';
export { SafetensorsError } from './hf/safetensors/safetensors-error';
export {
  SAFETENSORS_DTYPES, decodeTensorBytes, dtypeBytes, encodeFloats, floatToBfloat16Bits, floatToHalfBits, isIntegerDtype, isSafetensorsDtype,
  type FloatWriteDtype, type SafetensorsDtype, type TensorData,
} from './hf/safetensors/safetensors-dtype';
export { MAX_HEADER_BYTES, parseSafetensorsHeader, readHeaderLength, type SafetensorsEntry, type SafetensorsHeader } from './hf/safetensors/parse-safetensors-header';
export { blobSource, bytesSource, type ByteSource } from './hf/safetensors/byte-source';
export { FLOAT32_CHUNK_ELEMENTS, SafetensorsReader, type Float32ChunkSink, type LoadedTensor, type ReadFloat32Options, type ReadTensorsOptions } from './hf/safetensors/safetensors-reader';
export {
  planSafetensors, safetensorsBytes, serializeSafetensors,
  type LazyTensorToWrite, type SafetensorsPlan, type SerializedSafetensors, type TensorToWrite,
} from './hf/safetensors/serialize-safetensors';
export {
  SAFETENSORS_FILE, SAFETENSORS_INDEX_FILE, ShardedSafetensorsReader, entryBytes, isIntegerEntry, parseSafetensorsIndex, shardSafetensors,
  type SafetensorsIndex, type ShardedSafetensors, type TensorReader,
} from './hf/safetensors/sharded-safetensors';
export { CheckpointSourceError, type CheckpointSource, type DownloadProgress } from './hf/sources/checkpoint-source';
export { urlSource, type ResponseCache, type UrlSourceOptions } from './hf/sources/url-source';
export { fileListSource } from './hf/sources/file-list-source';
export { openCheckpointWeights } from './hf/sources/open-checkpoint-weights';
export { HfConfigError } from './hf/config/hf-config-error';
export { HF_ACTIVATIONS, blockActivation, type BlockActivation, type HfActivation } from './hf/config/hf-activation';
export { numLabels, type PretrainedConfigFields } from './hf/config/pretrained-config';
export { parseBertConfig, type BertLikeFields, type HfBertConfig } from './hf/config/hf-bert-config';
export { parseRobertaConfig, robertaMaxTokens, type HfRobertaConfig } from './hf/config/hf-roberta-config';
export { DISTILBERT_LAYER_NORM_EPS, parseDistilBertConfig, type HfDistilBertConfig } from './hf/config/hf-distilbert-config';
export { parseVitConfig, type HfVitConfig } from './hf/config/hf-vit-config';
export {
  HF_ARCHITECTURES, HF_MODEL_TYPES, hfArchitecture, hfConfigToJson, parseHfConfig,
  type HfArchitectureEntry, type HfConfig, type HfModelType,
} from './hf/config/hf-architectures';
export { hfWeightLayout, type ExpectedTensor, type HfWeightLayout } from './hf/convert/hf-weight-layout';
export { HfWeightsError, matchCheckpoint, type CheckpointMatch } from './hf/convert/match-checkpoint';
export { channelsFirstToLast, conv2dToPatchKernel, linearToKernel, patchKernelToConv2d } from './hf/convert/hf-weight-transforms';
export { isCheckpointUrl, resolveCheckpointSource } from './hf/sources/resolve-checkpoint-source';
export { httpRangeSource, type HttpRangeSourceOptions } from './hf/sources/http-range-source';
export { parseHfTokenizerConfig, type HfTokenizerConfig } from './hf/preprocessing/hf-tokenizer-config';
export { DEFAULT_MAX_LENGTH, HfTokenizer, type HfEncodeOptions, type HfEncodedBatch, type HfTextInput } from './hf/preprocessing/hf-tokenizer';
export { TOKENIZER_CONFIG_FILE, TOKENIZER_FILE, loadHfTokenizer } from './hf/preprocessing/load-hf-tokenizer';
export { PIL_RESAMPLE, resampleImage, type ByteImage, type PilResample } from './hf/preprocessing/resample-image';
export { parseHfImageProcessorConfig, type HfImageProcessorConfig } from './hf/preprocessing/hf-image-processor-config';
export { HfImageProcessor, toRgbBytes, type ImageInput } from './hf/preprocessing/hf-image-processor';
export { PREPROCESSOR_CONFIG_FILE, loadHfImageProcessor, type LoadHfImageProcessorOptions } from './hf/preprocessing/load-hf-image-processor';
export type { HfForwardOptions, HfImageInputs, HfModel, HfModelInputs, HfModelOutput, HfModelWeight, HfTextInputs } from './hf/hf-model';
export { HfPretrainedModel, type HfModelOptions } from './hf/hf-pretrained-model';
export type { HfParameter, HfParameters, HfWeightTransform } from './hf/hf-parameters';
export { HF_BASE_CLASSES, HF_MODEL_CLASSES, type HfModelClass } from './hf/hf-model-classes';
export { fromPretrained, type FromPretrainedOptions } from './hf/from-pretrained';
export { bertBackboneConfig, type BertBackboneConfig, type BertFamilyConfig } from './bert/bert-config';
export { BertBackbone, type BertBackboneOptions, type BertBackboneOutput } from './bert/bert-backbone';
export { embeddingLookup } from './bert/embedding-lookup';
export { hiddenActivation } from './bert/hidden-activation';
export { sinusoidalPositionTable } from './bert/sinusoidal-position-table';
export { BertModel } from './bert/bert-model';
export { BertForSequenceClassification } from './bert/bert-for-sequence-classification';
export { BertForMaskedLM } from './bert/bert-for-masked-lm';
export { BertForTokenClassification } from './bert/bert-for-token-classification';
export { RobertaModel } from './roberta/roberta-model';
export { RobertaForSequenceClassification } from './roberta/roberta-for-sequence-classification';
export { RobertaForMaskedLM } from './roberta/roberta-for-masked-lm';
export { RobertaForTokenClassification } from './roberta/roberta-for-token-classification';
export { DistilBertModel } from './distilbert/distilbert-model';
export { DistilBertForSequenceClassification } from './distilbert/distilbert-for-sequence-classification';
export { DistilBertForMaskedLM } from './distilbert/distilbert-for-masked-lm';
export { DistilBertForTokenClassification } from './distilbert/distilbert-for-token-classification';
export { vitBackboneConfig } from './vit/vit-hf-config';
export { ViTModel, VitPretrainedModel } from './vit/vit-model';
export { ViTForImageClassification } from './vit/vit-for-image-classification';
export { pretrainedConfigJson, pretrainedStateDict, serializePretrained, type SavePretrainedOptions } from './hf/pretrained-checkpoint';
export { gpt2ConfigToJson, gpt2InnerSize, parseGpt2Config, type HfGpt2Config } from './hf/config/hf-gpt2-config';
export { Gpt2Backbone, type Gpt2CallInputs, type Gpt2CallOptions, type Gpt2CallOutput } from './gpt2/gpt2-backbone';
export { Gpt2PretrainedModel, type Gpt2Inputs, type Gpt2LmHeadOutput } from './gpt2/gpt2-pretrained-model';
export { GPT2Model } from './gpt2/gpt2-model';
export { GPT2LMHeadModel } from './gpt2/gpt2-lm-head-model';
export { crossEntropyShifted } from './gpt2/gpt2-loss';
export { fineTuneCausalLm, type CausalLmEpoch, type FineTuneCausalLmOptions, type FineTuneCausalLmResult } from './gpt2/fine-tune-causal-lm';
export { gpt2TokenizerJson, loadGpt2Tokenizer } from './gpt2/load-gpt2-tokenizer';
export { Gpt2Session, type Gpt2SessionOptions, type Gpt2StepTrace } from './gpt2/gpt2-session';
export { gpt2Generate, gpt2Stream, type Gpt2GenerateOptions, type Gpt2Generated, type Gpt2StreamedToken } from './gpt2/gpt2-generate';
