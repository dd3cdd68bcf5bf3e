import { ConfigFields, HfConfigError, describeValue, readJsonObject } from '../config/hf-config-error';
import { PIL_RESAMPLE, type PilResample } from './resample-image';

/**
 * A ViT `preprocessor_config.json` (ViTImageProcessor, formerly ViTFeatureExtractor): resize to
 * `size`, multiply by `rescale_factor`, normalise with `image_mean`/`image_std` per channel.
 */
export interface HfImageProcessorConfig {
  readonly do_resize: boolean;
  /** Target size in pixels (an int in old files means a square). */
  readonly size: { readonly height: number; readonly width: number };
  /** PIL resampling filter (default 2, bilinear). */
  readonly resample: PilResample;
  readonly do_rescale: boolean;
  /** Default 1/255. */
  readonly rescale_factor: number;
  readonly do_normalize: boolean;
  /** Per channel; default ImageNet's "standard" [0.5, 0.5, 0.5]. */
  readonly image_mean: readonly number[];
  readonly image_std: readonly number[];
}

const IMAGE_PROCESSORS = ['ViTImageProcessor', 'ViTFeatureExtractor', 'ViTImageProcessorFast'];

/**
 * Reads a `preprocessor_config.json` (parsed or as text) with ViTImageProcessor's defaults
 * (`{}` gives 224×224, bilinear, 1/255, mean = std = 0.5). Processors of other families and
 * steps ViT has not (`do_center_crop`, `size.shortest_edge`) are errors naming the field.
 *
 * @example
 * ```ts
 * const config = parseHfImageProcessorConfig({ size: { height: 32, width: 32 }, image_mean: [0.485, 0.456, 0.406], image_std: [0.229, 0.224, 0.225] });
 * config.resample; // 2 (bilinear)
 * ```
 */
export function parseHfImageProcessorConfig(value: unknown, file = 'preprocessor_config.json'): HfImageProcessorConfig {
  const record = readJsonObject(value, file);
  const fields = new ConfigFields(record, file);
  const type = record.image_processor_type ?? record.feature_extractor_type;
  if (type !== undefined && !IMAGE_PROCESSORS.includes(type as string)) {
    throw new HfConfigError(file, record.image_processor_type !== undefined ? 'image_processor_type' : 'feature_extractor_type', `${describeValue(type)} is not supported; supported: ${IMAGE_PROCESSORS.join(', ')}`);
  }
  if (record.do_center_crop === true) throw new HfConfigError(file, 'do_center_crop', 'center cropping is not part of ViTImageProcessor and is not supported');
  const size = readSize(record.size, file);
  const resample = fields.int('resample', PIL_RESAMPLE.bilinear, 0);
  if (!(Object.values(PIL_RESAMPLE) as number[]).includes(resample)) {
    throw new HfConfigError(file, 'resample', `expected a PIL filter (${Object.entries(PIL_RESAMPLE).map(([name, id]) => `${id} ${name}`).join(', ')}); got ${resample}`);
  }
  const channelValues = (name: string): number[] => {
    const raw = record[name];
    if (raw === undefined || raw === null) return [0.5, 0.5, 0.5];
    const list = typeof raw === 'number' ? [raw, raw, raw] : raw;
    if (!Array.isArray(list) || list.length === 0 || !list.every((entry) => typeof entry === 'number' && Number.isFinite(entry))) {
      throw new HfConfigError(file, name, `expected a number per channel; got ${describeValue(raw)}`);
    }
    return list as number[];
  };
  const mean = channelValues('image_mean');
  const std = channelValues('image_std');
  if (mean.length !== 3 || std.length !== 3) throw new HfConfigError(file, mean.length !== 3 ? 'image_mean' : 'image_std', `expected 3 values (RGB); got ${describeValue(mean.length !== 3 ? mean : std)}`);
  const zero = std.findIndex((entry) => entry === 0);
  if (zero >= 0) throw new HfConfigError(file, `image_std.${zero}`, 'must not be 0 (it divides)');
  return {
    do_resize: fields.bool('do_resize', true),
    size,
    resample: resample as PilResample,
    do_rescale: fields.bool('do_rescale', true),
    rescale_factor: fields.number('rescale_factor', 1 / 255, 0, Infinity, true),
    do_normalize: fields.bool('do_normalize', true),
    image_mean: mean,
    image_std: std,
  };
}

function readSize(raw: unknown, file: string): { height: number; width: number } {
  if (raw === undefined || raw === null) return { height: 224, width: 224 };
  const side = (value: unknown, field: string): number => {
    if (!Number.isSafeInteger(value) || (value as number) < 1) throw new HfConfigError(file, field, `expected a positive integer; got ${describeValue(value)}`);
    return value as number;
  };
  if (typeof raw === 'number') return { height: side(raw, 'size'), width: side(raw, 'size') };
  if (typeof raw === 'object' && !Array.isArray(raw)) {
    const { height, width, shortest_edge: shortest } = raw as Record<string, unknown>;
    if (shortest !== undefined) throw new HfConfigError(file, 'size.shortest_edge', 'is not supported (ViTImageProcessor resizes to {height, width})');
    return { height: side(height, 'size.height'), width: side(width, 'size.width') };
  }
  throw new HfConfigError(file, 'size', `expected {"height": n, "width": n} or an integer; got ${describeValue(raw)}`);
}
