/**
 * @heed/attention: every classic attention as trainable, inspectable TensorFlow.js ops and layers.
 * Masks use one polarity everywhere: true / 1 = may attend.
 * @packageDocumentation
 */
export type { AttentionMask } from './masks/attention-mask';
export { causalMask } from './masks/causal-mask';
export { paddingMask } from './masks/padding-mask';
export { windowMask } from './masks/window-mask';
export { hybridMask, type HybridMaskOptions } from './masks/hybrid-mask';
export { combineMasks } from './masks/combine-masks';
export { fromTorchKeyPaddingMask } from './masks/from-torch-key-padding-mask';
export { fromTorchAttnMask, type FromTorchAttnMaskOptions } from './masks/from-torch-attn-mask';
export { maskedSoftmax } from '@heed/backends';
export { scaledDotProductAttention, type ScaledDotProductAttentionOptions } from './ops/scaled-dot-product-attention';
export { scaledDotProductAttentionReference, type ReferenceAttentionOptions } from './ops/scaled-dot-product-attention-reference';
export { setAttentionFastPath, getAttentionFastPath, type AttentionFastPath, type AttentionFastPathOptions } from './ops/attention-fast-path';
export { fusedAttentionFastPath } from './ops/fused-fast-path';
export { MultiHeadAttention, type MultiHeadAttentionArgs, type MultiHeadAttentionCallOptions } from './layers/multi-head-attention';
export type { InitializerName } from './layers/layer-utils';
export {
  fromTorchMultiheadAttention,
  type FromTorchMultiheadAttentionOptions,
  type TorchTensorJson,
  type TorchStateDict,
} from './interop/from-torch-multihead-attention';
export { ScoredAttention, type ScoredAttentionArgs, type ScoredAttentionCallOptions } from './layers/scored-attention';
export { AdditiveAttention, BahdanauAttention, type AdditiveAttentionArgs } from './layers/additive-attention';
export { LuongAttention, type LuongAttentionArgs, type LuongScoreMode } from './layers/luong-attention';
export { CosineAttention, type CosineAttentionArgs } from './layers/cosine-attention';
export { LocalAttention, type LocalAttentionArgs, type LocalAttentionMode } from './layers/local-attention';
export { HybridAttention, type HybridAttentionArgs } from './layers/hybrid-attention';
export { sinusoidalPositionEncoding, SinusoidalPositionEncoding, type SinusoidalPositionEncodingArgs } from './positional/sinusoidal-position-encoding';
export { PositionEmbedding, type PositionEmbeddingArgs } from './positional/position-embedding';
export { applyRotaryEmbedding, RotaryEmbedding, type RotaryEmbeddingArgs, type RotaryOptions } from './positional/rotary-embedding';
export { layerNormalization } from './ops/layer-normalization';
export { denseLastAxis } from './layers/layer-utils';
export { gelu } from './ops/gelu';
export { geluNew } from './ops/gelu-new';
export { TransformerEncoderBlock, type TransformerEncoderCallOptions } from './blocks/transformer-encoder-block';
export { TransformerDecoderBlock, type TransformerDecoderCallOptions } from './blocks/transformer-decoder-block';
export type { AttentionCache, TransformerDecoderCacheOptions, TransformerDecoderCacheResult } from './blocks/transformer-decoder-cache';
export type { TransformerBlockArgs } from './blocks/transformer-block-args';
export type { FeedForwardActivation } from './blocks/block-weights';
export {
  fromTorchTransformerEncoderLayer,
  fromTorchTransformerDecoderLayer,
  type FromTorchTransformerLayerOptions,
} from './interop/from-torch-transformer-layer';
export { additiveScore, type AdditiveScoreWeights } from './ops/additive-score';
export { multiplicativeScore } from './ops/multiplicative-score';
export { cosineScore } from './ops/cosine-score';
