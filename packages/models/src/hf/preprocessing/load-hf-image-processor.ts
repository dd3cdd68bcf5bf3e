import type { CheckpointSource } from '../sources/checkpoint-source';
import { resolveCheckpointSource } from '../sources/resolve-checkpoint-source';
import { HfImageProcessor } from './hf-image-processor';
import { parseHfImageProcessorConfig } from './hf-image-processor-config';

/** The image preprocessing file of a checkpoint, as transformers names it. */
export const PREPROCESSOR_CONFIG_FILE = 'preprocessor_config.json';

/** Options of {@link loadHfImageProcessor}. */
export interface LoadHfImageProcessorOptions {
  /**
   * The model's input side (`image_size` of config.json): used as `size` when the checkpoint has no
   * preprocessor_config.json, and checked against its `size` otherwise.
   */
  imageSize?: number;
  /** Told when the defaults stand in for a missing preprocessor_config.json. */
  onWarning?: (message: string) => void;
}

/**
 * Loads a checkpoint's image preprocessing (`AutoImageProcessor.from_pretrained` for ViT) from
 * `preprocessor_config.json`. Without that file, ViTImageProcessor's defaults at the model's
 * `imageSize` stand in, with a warning. A `size` other than the model's is an error naming both.
 *
 * @example
 * ```ts
 * const processor = await loadHfImageProcessor('https://huggingface.co/google/vit-base-patch16-224/resolve/main', { imageSize: 224 });
 * const pixelValues = processor.preprocess(imageData); // (1, 3, 224, 224)
 * ```
 */
export async function loadHfImageProcessor(source: CheckpointSource | string, options: LoadHfImageProcessorOptions = {}): Promise<HfImageProcessor> {
  const checkpoint = resolveCheckpointSource(source);
  const file = `${checkpoint.location}/${PREPROCESSOR_CONFIG_FILE}`;
  if (!(await checkpoint.has(PREPROCESSOR_CONFIG_FILE))) {
    const side = options.imageSize ?? 224;
    options.onWarning?.(`${file} is missing: using ViTImageProcessor's defaults (resize to ${side}×${side} bilinear, rescale 1/255, mean = std = 0.5)`);
    return new HfImageProcessor(parseHfImageProcessorConfig({ size: { height: side, width: side } }, file));
  }
  const config = parseHfImageProcessorConfig(await checkpoint.readText(PREPROCESSOR_CONFIG_FILE), file);
  const { height, width } = config.size;
  if (options.imageSize !== undefined && (height !== options.imageSize || width !== options.imageSize)) {
    throw new RangeError(`${file} size: the model (config.json image_size) takes ${options.imageSize}×${options.imageSize} images; the preprocessor makes ${width}×${height}`);
  }
  return new HfImageProcessor(config);
}
