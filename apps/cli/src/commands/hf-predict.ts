import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendName } from '@heed/backends';
import { loadHfImageProcessor, type HfModel, type HfModelInputs, type HfTokenizer } from '@heed/models';
import { attentionHeatmapText, attentionRollout } from '@heed/viz';
import { backendArg, loadHfModel, maybeTokenizer } from './hf-forward';
import { openHfCheckpoint, print, readHfConfig } from './hf-checkpoint';
import { readImageFile } from './image-file';

export const HF_PREDICT_USAGE = `heed hf predict <dir|url> ("text" | --image FILE) [--json] [--backend wasm|cpu|webgpu]

Classifies a text (sequence classification; "text" may hold [MASK] for a masked LM, which gets
its top 5 tokens per mask) or an image (ViT: PNG, PGM or JSON rows, resized and normalised per
preprocessor_config.json), and prints the labels with their probabilities, then the attention:
the rollout from the first token ([CLS]) over all layers (heads averaged; for an image, a patch
grid) and the last layer's attention as a text heatmap (rows: queries, columns: keys).
--json prints one JSON object instead.`;

/** One label with its probability. */
export interface HfLabelScore { label: string; score: number }

/** What `heed hf predict --json` prints. */
export interface HfPrediction {
  architecture: string;
  /** Sequence or image classification: every label, most probable first. */
  labels?: HfLabelScore[];
  /** Masked LM: the five most probable tokens at each [MASK]. */
  masks?: Array<{ position: number; predictions: Array<{ token: string; id: number; score: number }> }>;
  /** Text inputs: the tokens the model saw. */
  tokens?: string[];
  /** Images: the patch grid `[rows, columns]` the rollout covers (token 0 is [CLS]). */
  patches?: [number, number];
  /** Attention rollout (Abnar & Zuidema 2020, heads averaged, residual added) from token 0 to every token. */
  rollout: number[];
  /** The last layer's attention, heads averaged `[query][key]`. */
  last_layer_attention: number[][];
}

interface PredictArgs { location: string | undefined; text: string | undefined; image: string | undefined; json: boolean; backend: BackendName | undefined }

function parsePredictArgs(args: readonly string[]): PredictArgs {
  const parsed: PredictArgs = { location: undefined, text: undefined, image: undefined, json: false, backend: undefined };
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (arg === '--json') parsed.json = true;
    else if (arg === '--image') {
      parsed.image = args[++index];
      if (parsed.image === undefined) throw new Error(`heed hf predict: --image needs a file\n\n${HF_PREDICT_USAGE}`);
    } else if (arg === '--backend') parsed.backend = backendArg(args[++index], 'predict');
    else if (arg.startsWith('--')) throw new Error(`heed hf predict: unknown option ${JSON.stringify(arg)}\n\n${HF_PREDICT_USAGE}`);
    else if (parsed.location === undefined) parsed.location = arg;
    else if (parsed.text === undefined) parsed.text = arg;
    else throw new Error(`heed hf predict: one text only (quote it); got also ${JSON.stringify(arg)}`);
  }
  if ((parsed.text === undefined) === (parsed.image === undefined)) throw new Error(`heed hf predict: give a "text" or --image FILE (one of them)\n\n${HF_PREDICT_USAGE}`);
  return parsed;
}

/** The rollout from token 0 and the last layer's head-averaged attention, from per-layer `(1, heads, T, T)` weights. */
async function attentionViews(attentions: readonly tf.Tensor4D[]): Promise<{ rollout: number[]; last: number[][] }> {
  if (attentions.length === 0) throw new Error('heed hf predict: the model returned no attention weights');
  const [, heads, tokens] = attentions[0]!.shape;
  const stacked = tf.tidy(() => tf.concat([...attentions], 0)); // (layers, heads, T, T)
  const weights = (await stacked.data()) as Float32Array;
  stacked.dispose();
  const matrix = attentionRollout({ weights, shape: [attentions.length, heads, tokens, tokens] });
  const rollout = Array.from(matrix.values.subarray(0, tokens));
  const lastOffset = (attentions.length - 1) * heads * tokens * tokens;
  const last = Array.from({ length: tokens }, (_, query) => Array.from({ length: tokens }, (__, key) => {
    let sum = 0;
    for (let head = 0; head < heads; head++) sum += weights[lastOffset + head * tokens * tokens + query * tokens + key]!;
    return sum / heads;
  }));
  return { rollout, last };
}

const softmax = (row: readonly number[]) => {
  const top = Math.max(...row);
  const exp = row.map((value) => Math.exp(value - top));
  const total = exp.reduce((a, b) => a + b, 0);
  return exp.map((value) => value / total);
};

async function predictText(model: HfModel, tokenizer: HfTokenizer | undefined, text: string, location: string): Promise<HfPrediction> {
  if (!tokenizer) throw new Error(`heed hf predict: a text needs a tokenizer, but ${location} has no tokenizer.json`);
  const batch = tokenizer.encode(text, { padding: false });
  const inputs = tokenizer.toTensors(batch);
  try {
    return await predictInputs(model, inputs, tokenizer, batch.input_ids[0]!, batch.tokens[0]!);
  } finally {
    tf.dispose(Object.values(inputs) as tf.Tensor[]);
  }
}

async function predictInputs(model: HfModel, inputs: HfModelInputs, tokenizer: HfTokenizer | undefined, ids: number[] | undefined, tokens: string[] | undefined): Promise<HfPrediction> {
  const { architecture, config } = model;
  const output = model.forward(inputs, { outputAttentions: true });
  try {
    const { rollout, last } = await attentionViews(output.attentions ?? []);
    const prediction: HfPrediction = { architecture, ...(tokens ? { tokens } : {}), rollout, last_layer_attention: last };
    if (!output.logits) throw new Error(`heed hf predict: ${architecture} has no task head; use heed hf forward for its hidden states`);
    if (architecture.endsWith('SequenceClassification') || architecture.endsWith('ImageClassification')) {
      const scores = softmax(((await output.logits.array()) as number[][])[0]!);
      prediction.labels = scores.map((score, id) => ({ label: config.id2label[id] ?? `LABEL_${id}`, score })).sort((a, b) => b.score - a.score);
    } else if (architecture.endsWith('MaskedLM') && tokenizer && ids) {
      const maskId = tokenizer.tokenizer.tokenToId('[MASK]') ?? tokenizer.tokenizer.tokenToId('<mask>');
      const positions = ids.flatMap((id, position) => (id === maskId ? [position] : []));
      if (positions.length === 0) throw new Error('heed hf predict: a masked LM needs a text with [MASK] (or <mask>) in it');
      const logits = ((await output.logits.array()) as number[][][])[0]!;
      prediction.masks = positions.map((position) => ({
        position,
        predictions: softmax(logits[position]!).map((score, id) => ({ token: tokenizer.tokenizer.idToToken(id) ?? String(id), id, score })).sort((a, b) => b.score - a.score).slice(0, 5),
      }));
    } else {
      throw new Error(`heed hf predict: ${architecture} is not a classifier or masked LM; use heed hf forward`);
    }
    return prediction;
  } finally {
    tf.dispose(Object.values(output).flat() as tf.Tensor[]);
  }
}

/**
 * `heed hf predict`: a checkpoint's labels (with probabilities) for a text or an image, and its
 * attention as text heatmaps (rollout over layers from [CLS]; the last layer).
 *
 * @example
 * ```ts
 * await hfPredict(['checkpoints/bert-sst2', 'This film was not very good.']);
 * // NEGATIVE  0.9731\nPOSITIVE  0.0269\n…
 * ```
 */
export async function hfPredict(args: readonly string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    await print(`${HF_PREDICT_USAGE}\n`);
    return 0;
  }
  const options = parsePredictArgs(args);
  const checkpoint = await openHfCheckpoint(options.location, 'predict');
  await readHfConfig(checkpoint); // a missing or bad config.json fails before any backend starts
  await initBackend(options.backend ? { backend: options.backend } : {});
  const model = await loadHfModel(checkpoint);
  if (!/(?:SequenceClassification|ImageClassification|MaskedLM)$/.test(model.architecture)) {
    model.dispose();
    throw new Error(`heed hf predict: ${model.architecture} has no classification or masked-LM head; use heed hf forward for its outputs`);
  }
  let prediction: HfPrediction;
  try {
    if (options.image !== undefined) {
      if (model.config.model_type !== 'vit') throw new Error(`heed hf predict: --image given, but ${checkpoint.location} is a ${model.config.model_type} text model; give a "text"`);
      const processor = await loadHfImageProcessor(checkpoint.source, { imageSize: model.config.image_size, onWarning: (message) => process.stderr.write(`warning: ${message}\n`) });
      const image = await readImageFile(options.image);
      const pixelValues = processor.preprocess({ width: image.width, height: image.height, channels: image.channels, data: Uint8Array.from(image.pixels, (value) => Math.round(value * 255)) });
      try {
        prediction = await predictInputs(model, { pixel_values: pixelValues }, undefined, undefined, undefined);
      } finally {
        pixelValues.dispose();
      }
      const side = model.config.image_size / model.config.patch_size;
      prediction.patches = [side, side];
    } else {
      if (model.config.model_type === 'vit') throw new Error(`heed hf predict: ${checkpoint.location} is a ViT image model; give --image FILE`);
      prediction = await predictText(model, await maybeTokenizer(checkpoint), options.text!, checkpoint.location);
    }
  } finally {
    model.dispose();
  }
  await print(options.json ? `${JSON.stringify(prediction)}\n` : formatHfPrediction(prediction));
  return 0;
}

/** The text form of a {@link HfPrediction}: labels, then the attention heatmaps. */
export function formatHfPrediction(prediction: HfPrediction): string {
  const lines: string[] = [];
  if (prediction.labels) {
    const width = Math.max(...prediction.labels.map(({ label }) => label.length));
    for (const { label, score } of prediction.labels) lines.push(`${label.padEnd(width)}  ${score.toFixed(4)}  ${'█'.repeat(Math.round(score * 30))}`);
  }
  for (const mask of prediction.masks ?? []) {
    lines.push(`[MASK] at token ${mask.position}: ${mask.predictions.map(({ token, score }) => `${token} ${score.toFixed(4)}`).join(', ')}`);
  }
  if (prediction.patches) {
    const [rows, columns] = prediction.patches;
    const grid = Array.from({ length: rows }, (_, row) => prediction.rollout.slice(1 + row * columns, 1 + (row + 1) * columns));
    lines.push('', `attention rollout from [CLS] over the ${rows}×${columns} patches (darker = more):`);
    lines.push(attentionHeatmapText({ weights: grid, rowLabels: grid.map((_, row) => `row ${row}`), cellWidth: 2 }));
  } else if (prediction.tokens) {
    const tokens = prediction.tokens;
    const width = Math.max(...tokens.map((token) => token.length));
    const top = Math.max(...prediction.rollout) || 1;
    lines.push('', 'attention rollout from [CLS] (all layers, heads averaged):');
    tokens.forEach((token, index) => lines.push(`  ${token.padEnd(width)}  ${prediction.rollout[index]!.toFixed(3)}  ${'█'.repeat(Math.round((prediction.rollout[index]! / top) * 20))}`));
    lines.push('', 'last layer, heads averaged (rows: queries, columns: keys in order; darker = more):');
    lines.push(attentionHeatmapText({ weights: prediction.last_layer_attention, rowLabels: tokens }));
  }
  return `${lines.join('\n')}\n`;
}
