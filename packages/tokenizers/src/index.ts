/**
 * @heed/tokenizers: Hugging Face-exact tokenization in pure TypeScript.
 * @packageDocumentation
 */
export { bytesToUnicode, unicodeToBytes } from './bytes-to-unicode';
export { Tokenizer, type TokenizerParts, type EncodeOptions, type DecodeOptions } from './tokenizer';
export type { Encoding } from './encoding';
export { TokenizerConfigError } from './json-fields';
export type { AddedToken } from './added-vocabulary';
export { identityText, type NormalizedText } from './normalized-text';
export type { PaddingStrategy } from './padding-truncation';
export type { Normalizer, NormalizerJSON } from './normalizers/normalizer';
export { BertNormalizer, type BertNormalizerOptions } from './normalizers/bert-normalizer';
export { Lowercase } from './normalizers/lowercase';
export { StripAccents } from './normalizers/strip-accents';
export { UnicodeNormalizer, type UnicodeForm } from './normalizers/unicode-normalizer';
export { SequenceNormalizer } from './normalizers/sequence-normalizer';
export { normalizerFromJSON, SUPPORTED_NORMALIZERS } from './normalizers/normalizer-from-json';
export type { PreToken, PreTokenizer, PreTokenizerJSON } from './pre-tokenizers/pre-tokenizer';
export { BertPreTokenizer } from './pre-tokenizers/bert-pre-tokenizer';
export { ByteLevel, GPT2_PATTERN, type ByteLevelOptions } from './pre-tokenizers/byte-level';
export { Whitespace, WhitespaceSplit } from './pre-tokenizers/whitespace';
export { Split, type SplitOptions, type SplitBehavior } from './pre-tokenizers/split';
export { preTokenizerFromJSON, SUPPORTED_PRE_TOKENIZERS } from './pre-tokenizers/pre-tokenizer-from-json';
export type { Model, ModelJSON, ModelToken } from './models/model';
export { WordPiece, type WordPieceOptions } from './models/word-piece';
export { BPE, type BPEOptions } from './models/bpe';
export { WordLevel, type WordLevelOptions } from './models/word-level';
export { modelFromJSON, SUPPORTED_MODELS } from './models/model-from-json';
export type { PostProcessor, PostProcessorJSON } from './processors/post-processor';
export { TemplateProcessing, type TemplatePiece, type TemplateProcessingOptions, type TemplateSpecialToken } from './processors/template-processing';
export { BertProcessing, type BertProcessingOptions } from './processors/bert-processing';
export { ByteLevelProcessing, type ByteLevelProcessingOptions } from './processors/byte-level-processing';
export { postProcessorFromJSON, SUPPORTED_POST_PROCESSORS } from './processors/post-processor-from-json';
export type { Decoder, DecoderJSON } from './decoders/decoder';
export { WordPieceDecoder, type WordPieceDecoderOptions } from './decoders/word-piece-decoder';
export { ByteLevelDecoder, type ByteLevelDecoderOptions } from './decoders/byte-level-decoder';
export { decoderFromJSON, SUPPORTED_DECODERS } from './decoders/decoder-from-json';
export { FuseDecoder } from './decoders/fuse-decoder';
export { BpeTrainer, type BpeTrainerOptions } from './trainers/bpe-trainer';
export { WordPieceTrainer, type WordPieceTrainerOptions } from './trainers/word-piece-trainer';
export { countWords, type WordPipeline } from './trainers/word-counts';
export { buildVocabulary, DEFAULT_SPECIAL_TOKENS, type VocabularyOptions } from './vocabularies/build-vocabulary';
export { buildCharLevelTokenizer, type CharLevelOptions } from './vocabularies/char-level-tokenizer';
export { buildWordLevelTokenizer, type WordLevelTokenizerOptions } from './vocabularies/word-level-tokenizer';
