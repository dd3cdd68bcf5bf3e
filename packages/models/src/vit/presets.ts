import type { ModelPreset } from '../pretrained/model-preset';
import type { VisionTransformerConfig } from './vit-config';

/**
 * The shipped ViTs. `new VitImageClassifier(VIT_PRESETS.digits.config)` builds the architecture
 * with fresh weights; `loadPretrained('digits')` loads the trained one.
 *
 * @example
 * ```ts
 * VIT_PRESETS.mnist.config.patchSize; // 7
 * ```
 */
export const VIT_PRESETS = Object.freeze({
  mnist: { family: 'vit', task: 'MNIST digits, 28×28 grayscale (Vision Transformer)', config: { imageSize: [28, 28], patchSize: 7, channels: 1, dim: 64, depth: 4, heads: 4, mlpDim: 128, numClasses: 10, dropout: 0, pool: 'cls' } },
  digits: { family: 'vit', task: "scikit-learn's 8×8 digits (Vision Transformer)", config: { imageSize: [8, 8], patchSize: 4, channels: 1, dim: 64, depth: 4, heads: 4, mlpDim: 128, numClasses: 10, dropout: 0, pool: 'cls' } },
} satisfies Record<string, ModelPreset<VisionTransformerConfig>>);
