import * as tf from '@tensorflow/tfjs';
import type { HfConfig, HfModelInputs, HfTokenizer, HfVitConfig } from '@heed/models';
import { cut } from './hf-checkpoint';

/** One parsed line of `heed hf forward --input`: model inputs, plus the tokens when it was text. */
export interface HfInputLine {
  inputs: HfModelInputs;
  tokens?: string[];
}

/** Where a line came from, for messages: `file:line`. */
export type LineLabel = string;

const isIntegerRow = (value: unknown): value is number[] => Array.isArray(value) && value.every((entry) => Number.isSafeInteger(entry));

/**
 * Parses one JSON line into model inputs: `{"input_ids":[...],"attention_mask"?:[...],"token_type_ids"?:[...]}`,
 * `{"text": "...", "text_pair"?: "..."}` (needs `tokenizer`) or `{"pixel_values": [[[...]]]}`
 * (channels × height × width). Errors name the line, the field, the expected and the actual value.
 * The caller disposes the tensors.
 */
export function parseHfInputLine(line: string, label: LineLabel, config: HfConfig, tokenizer: () => HfTokenizer | undefined, location: string): HfInputLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new Error(`${label}: expected a JSON object per line, got ${cut(line)}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${label}: expected a JSON object per line, got ${cut(line)}`);
  const record = value as Record<string, unknown>;
  const vision = config.model_type === 'vit';
  if ('pixel_values' in record) {
    if (!vision) throw new Error(`${label}: pixel_values given, but ${location} is a ${config.model_type} text model; give input_ids or text`);
    return { inputs: { pixel_values: pixelTensor(record.pixel_values, label, config) } };
  }
  if (vision) throw new Error(`${label}: ${location} is a ViT image model: expected {"pixel_values": [[[...]]]} (channels × height × width), got keys ${cut(Object.keys(record).join(', ') || 'none')}`);
  if ('text' in record) {
    if (typeof record.text !== 'string') throw new Error(`${label}: text must be a string, got ${cut(JSON.stringify(record.text) ?? 'nothing')}`);
    if (record.text_pair !== undefined && typeof record.text_pair !== 'string') throw new Error(`${label}: text_pair must be a string, got ${cut(JSON.stringify(record.text_pair))}`);
    const loaded = tokenizer();
    if (!loaded) throw new Error(`${label}: {"text"} needs a tokenizer, but ${location} has no tokenizer.json; give {"input_ids": [...]} instead`);
    const batch = loaded.encode([record.text_pair === undefined ? record.text : [record.text, record.text_pair as string]], { padding: false });
    const tensors = loaded.toTensors(batch);
    return { inputs: tensors, tokens: batch.tokens[0]! };
  }
  if (!('input_ids' in record)) throw new Error(`${label}: expected {"input_ids": [...]}, {"text": "..."} or {"pixel_values": [[[...]]]}; got keys ${cut(Object.keys(record).join(', ') || 'none')}`);
  const ids = record.input_ids;
  if (!isIntegerRow(ids) || ids.length === 0) throw new Error(`${label}: input_ids must be a non-empty array of integers, got ${cut(JSON.stringify(ids) ?? 'nothing')}`);
  const vocab = config.vocab_size;
  const outside = ids.findIndex((id) => id < 0 || id >= vocab);
  if (outside >= 0) throw new Error(`${label}: input_ids[${outside}] = ${ids[outside]} is outside the vocabulary (0 ≤ id < vocab_size ${vocab})`);
  const row = (name: 'attention_mask' | 'token_type_ids'): tf.Tensor2D | undefined => {
    const given = record[name];
    if (given === undefined) return undefined;
    if (!isIntegerRow(given) || given.length !== ids.length) throw new Error(`${label}: ${name} must be ${ids.length} integers (one per input id), got ${cut(JSON.stringify(given))}`);
    return tf.tensor2d(given, [1, given.length], 'int32');
  };
  const mask = row('attention_mask');
  const types = row('token_type_ids');
  return {
    inputs: {
      input_ids: tf.tensor2d(ids, [1, ids.length], 'int32'),
      ...(mask ? { attention_mask: mask } : {}),
      ...(types ? { token_type_ids: types } : {}),
    },
  };
}

/** `pixel_values` channels × height × width → `(1, channels, height, width)`, checked against the config. */
function pixelTensor(value: unknown, label: string, config: HfVitConfig): tf.Tensor4D {
  const { num_channels: channels, image_size: size } = config;
  const expected = `${channels} × ${size} × ${size} (channels × height × width, config.json num_channels and image_size)`;
  if (!Array.isArray(value) || !Array.isArray(value[0]) || !Array.isArray(value[0][0])) throw new Error(`${label}: pixel_values must be nested arrays ${expected}, got ${cut(JSON.stringify(value) ?? 'nothing')}`);
  const shape = [value.length, (value[0] as unknown[]).length, ((value[0] as unknown[][])[0]!).length];
  if (shape[0] !== channels || shape[1] !== size || shape[2] !== size) {
    throw new Error(`${label}: pixel_values is ${shape.join(' × ')}; expected ${expected} (heed hf predict --image resizes images per preprocessor_config.json)`);
  }
  const data = new Float32Array(channels * size * size);
  let offset = 0;
  for (const [c, plane] of (value as unknown[][][]).entries()) {
    if (!Array.isArray(plane) || plane.length !== size) throw new Error(`${label}: pixel_values[${c}] must have ${size} rows`);
    for (const [y, row] of plane.entries()) {
      if (!Array.isArray(row) || row.length !== size) throw new Error(`${label}: pixel_values[${c}][${y}] must have ${size} values`);
      for (const [x, pixel] of row.entries()) {
        if (typeof pixel !== 'number' || !Number.isFinite(pixel)) throw new Error(`${label}: pixel_values[${c}][${y}][${x}] must be a finite number, got ${cut(JSON.stringify(pixel) ?? 'nothing')}`);
        data[offset++] = pixel;
      }
    }
  }
  return tf.tensor4d(data, [1, channels, size, size]);
}
