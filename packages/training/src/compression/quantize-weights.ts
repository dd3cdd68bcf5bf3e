import * as tf from '@tensorflow/tfjs';
import { toFloat16Bits } from './float16';

/** Storage formats for float32 weights. */
export type WeightQuantization = 'float16' | 'uint8';

/** Encoded weights: tfjs weight specs (with `quantization`) and one buffer, loadable by `tf.io.decodeWeights`. */
export interface QuantizedWeights {
  weightSpecs: tf.io.WeightsManifestEntry[];
  weightData: ArrayBuffer;
}

/**
 * Affine uint8 parameters as tfjs's converter computes them: the range is widened to include 0
 * and `min` is nudged so that 0 is exactly representable (zero padding and zero biases stay 0).
 */
function affineRange(values: Float32Array): { min: number; scale: number } {
  let low = 0;
  let high = 0;
  for (const value of values) {
    if (value < low) low = value;
    if (value > high) high = value;
  }
  if (high === low) return { min: low, scale: 1 };
  const scale = (high - low) / 255;
  const zeroPoint = Math.round(-low / scale);
  return { min: -zeroPoint * scale, scale };
}

/**
 * Encodes float32 tensors as float16 (2 bytes a value) or uint8 affine-quantized (1 byte a value
 * plus a per-tensor `min` and `scale`), in the weight-spec format tfjs's converter writes, so
 * `tf.io.decodeWeights` and `tf.loadLayersModel` read them back as float32. Non-float tensors
 * are stored unchanged.
 *
 * @example
 * ```ts
 * const { weightSpecs, weightData } = await quantizeWeights({ kernel }, 'uint8');
 * const restored = tf.io.decodeWeights(weightData, weightSpecs); // float32, within scale/2
 * ```
 */
export async function quantizeWeights(tensors: tf.NamedTensorMap, quantization: WeightQuantization): Promise<QuantizedWeights> {
  if (quantization !== 'float16' && quantization !== 'uint8') throw new RangeError(`quantization must be "float16" or "uint8", got ${JSON.stringify(quantization)}`);
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const parts: Uint8Array[] = [];
  for (const [name, tensor] of Object.entries(tensors)) {
    const values = await tensor.data();
    if (tensor.dtype !== 'float32') {
      const { data, specs } = await tf.io.encodeWeights({ [name]: tensor });
      weightSpecs.push(...specs);
      parts.push(new Uint8Array(data as ArrayBuffer));
      continue;
    }
    const floats = values as Float32Array;
    if (quantization === 'float16') {
      const halves = Uint16Array.from(floats, toFloat16Bits);
      weightSpecs.push({ name, shape: tensor.shape, dtype: 'float32', quantization: { dtype: 'float16' } });
      parts.push(new Uint8Array(halves.buffer));
    } else {
      const { min, scale } = affineRange(floats);
      const bytes = Uint8Array.from(floats, (value) => Math.min(255, Math.max(0, Math.round((value - min) / scale))));
      weightSpecs.push({ name, shape: tensor.shape, dtype: 'float32', quantization: { dtype: 'uint8', min, scale } });
      parts.push(bytes);
    }
  }
  const weightData = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    weightData.set(part, offset);
    offset += part.byteLength;
  }
  return { weightSpecs, weightData: weightData.buffer };
}

/**
 * Saves a `tf.LayersModel` with quantized weights through any `tf.io` handler or URL; load it
 * back with `tf.loadLayersModel` as usual (tfjs dequantizes on load).
 *
 * @returns the bytes of weights written and what float32 would have taken.
 * @example
 * ```ts
 * const { weightBytes, float32Bytes } = await saveQuantizedModel(model, 'indexeddb://digits', 'uint8');
 * const loaded = await tf.loadLayersModel('indexeddb://digits');
 * ```
 */
export async function saveQuantizedModel(
  model: tf.LayersModel,
  destination: string | tf.io.IOHandler,
  quantization: WeightQuantization,
): Promise<{ weightBytes: number; float32Bytes: number }> {
  let captured: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const float32 = tf.io.decodeWeights(captured!.weightData!, captured!.weightSpecs!);
  try {
    const { weightSpecs, weightData } = await quantizeWeights(float32, quantization);
    const handler = typeof destination === 'string' ? tf.io.getSaveHandlers(destination)[0] : destination;
    if (!handler?.save) throw new Error(`no tf.io save handler for ${String(destination)}`);
    await handler.save({ ...captured!, weightSpecs, weightData });
    const float32Bytes = (captured!.weightSpecs ?? []).reduce((sum, spec) => sum + 4 * spec.shape.reduce((size, dim) => size * dim, 1), 0);
    return { weightBytes: weightData.byteLength, float32Bytes };
  } finally {
    tf.dispose(float32);
  }
}
