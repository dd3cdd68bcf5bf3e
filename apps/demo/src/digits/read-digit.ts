import type { VisionTransformer, VitAttentionMaps } from '@heed/models';
import * as tf from '@tensorflow/tfjs';

/** What the ViT says about one preprocessed digit. */
export interface DigitReading {
  /** The most likely digit. */
  label: number;
  /** Softmax of the logits, one per class. */
  probabilities: number[];
  /** Class-token attention per layer and head, and its rollout (patch order, `maps.grid`). */
  maps: VitAttentionMaps;
}

/** Softmax of logits, in float64. */
export function softmax(logits: ArrayLike<number>): number[] {
  const max = Math.max(...Array.from(logits));
  const exps = Array.from(logits, (logit) => Math.exp(logit - max));
  const total = exps.reduce((sum, value) => sum + value, 0);
  return exps.map((value) => value / total);
}

/** Runs the ViT on `pixels` (`side × side`, [0, 1]) once: logits, attention maps and rollout. */
export async function readDigit(vit: VisionTransformer, pixels: Float32Array): Promise<DigitReading> {
  const [height, width] = vit.config.imageSize;
  if (pixels.length !== height * width) throw new Error(`readDigit: the model reads ${height}×${width} images; got ${pixels.length} pixels`);
  const image = tf.tensor3d(pixels, [height, width, 1]); // (height, width, channels)
  try {
    const maps = await vit.attentionMaps(image);
    const probabilities = softmax(maps.logits);
    return { label: probabilities.indexOf(Math.max(...probabilities)), probabilities, maps };
  } finally {
    image.dispose();
  }
}
