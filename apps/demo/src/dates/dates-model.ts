import { LuongAttention } from '@heed/attention';
import * as tf from '@tensorflow/tfjs';
import { BOS_ID, PAD_ID, type DatesBatch, type DatesTask } from './dates-data';

/**
 * The page's date model: a character encoder–decoder with attention, built from tf.layers and
 * @heed/attention's `LuongAttention` ('general' score): a bidirectional GRU reads the date, a GRU
 * decoder writes the ISO date, and at each output step attends over the input characters
 * (Luong et al. 2015's attentional hidden state tanh(W_c[c_t; h_t])). The graph's second output
 * is the attention weights (batch, T − 1, S), which the page draws as the alignment.
 */
export function buildDatesModel(task: DatesTask, units = 64): tf.LayersModel {
  // Characters come in one-hot and a bias-free dense layer embeds them: tfjs 4.22's wasm backend
  // has no UnsortedSegmentSum, the gradient of tf.layers.embedding's gather.
  const source = tf.input({ shape: [task.sourceLength, task.sourceVocabSize], name: 'source' });
  const sourceMask = tf.input({ shape: [1, task.sourceLength], dtype: 'int32', name: 'source_mask' }); // 1 = real character
  const decoderInput = tf.input({ shape: [task.targetLength - 1, task.targetVocabSize], name: 'decoder_input' });
  const embedded = tf.layers.dense({ units: 32, useBias: false, name: 'source_embedding' }).apply(source);
  const encoded = tf.layers
    .bidirectional({ layer: tf.layers.gru({ units: units / 2, returnSequences: true, recurrentInitializer: 'glorotUniform' }) as tf.RNN, mergeMode: 'concat', name: 'encoder' })
    .apply(embedded) as tf.SymbolicTensor; // (batch, S, units)
  const targetEmbedded = tf.layers.dense({ units: 32, useBias: false, name: 'target_embedding' }).apply(decoderInput);
  const decoded = tf.layers.gru({ units, returnSequences: true, recurrentInitializer: 'glorotUniform', name: 'decoder' }).apply(targetEmbedded) as tf.SymbolicTensor; // (batch, T − 1, units)
  // The keys are the encoder states too, as a separate (identity) tensor: tfjs' inference executor
  // frees a tensor passed twice to one layer after its first use ("Tensor is disposed").
  const keys = tf.layers.activation({ activation: 'linear', name: 'keys' }).apply(encoded) as tf.SymbolicTensor;
  const [context, weights] = new LuongAttention({ scoreMode: 'general', name: 'attention' }).apply([decoded, encoded, keys, sourceMask], {
    returnAttentionScores: true,
  }) as tf.SymbolicTensor[];
  const attentional = tf.layers.dense({ units, activation: 'tanh', name: 'attentional' }).apply(tf.layers.concatenate().apply([context!, decoded]));
  const logits = tf.layers.dense({ units: task.targetVocabSize, name: 'logits' }).apply(attentional) as tf.SymbolicTensor;
  return tf.model({ inputs: [source, sourceMask, decoderInput], outputs: [logits, weights!], name: 'dates_seq2seq' });
}

/** The model's three inputs for source ids (batch, S) and decoder input ids (batch, T − 1). */
function inputsOf(model: tf.LayersModel, source: number[][], decoderInput: number[][]): tf.Tensor[] {
  const sourceTensor = tf.tensor2d(source, undefined, 'int32');
  const mask = tf.notEqual(sourceTensor, PAD_ID).cast('int32').expandDims(1); // (batch, 1, S)
  const [sourceVocabSize, targetVocabSize] = [model.inputs[0]!.shape[2]!, model.inputs[2]!.shape[2]!];
  return [tf.oneHot(sourceTensor, sourceVocabSize).cast('float32'), mask, tf.oneHot(tf.tensor2d(decoderInput, undefined, 'int32'), targetVocabSize).cast('float32')];
}

/** Masked mean cross-entropy of the next target character (padding excluded). */
function sequenceLoss(model: tf.LayersModel, batch: DatesBatch, vocabSize: number, training: boolean): tf.Scalar {
  const decoderInput = batch.target.map((row) => row.slice(0, -1));
  const labels = tf.tensor2d(batch.target.map((row) => row.slice(1)), undefined, 'int32'); // (batch, T − 1)
  const [logits] = model.apply(inputsOf(model, batch.source, decoderInput), { training }) as tf.Tensor[];
  const weights = tf.notEqual(labels, PAD_ID).cast('float32');
  return tf.losses.softmaxCrossEntropy(tf.oneHot(labels, vocabSize), logits!, weights) as tf.Scalar;
}

/** One optimizer step on `batch`; returns the loss before the step. */
export function trainStep(model: tf.LayersModel, optimizer: tf.Optimizer, batch: DatesBatch, vocabSize: number): number {
  const loss = optimizer.minimize(() => sequenceLoss(model, batch, vocabSize, true), true)!;
  const value = loss.dataSync()[0]!;
  loss.dispose();
  return value;
}

/** Greedy decoding result: target ids after `<s>` and the attention rows (T − 1, S) per example. */
export interface Decoded {
  ids: number[][];
  attention: number[][][];
}

/** Greedy decoding of a batch of source ids: T − 1 passes, each feeding back the argmax. */
export async function greedyDecode(model: tf.LayersModel, source: number[][], targetLength: number): Promise<Decoded> {
  const steps = targetLength - 1;
  const decoderInput = source.map(() => [BOS_ID, ...Array.from({ length: steps - 1 }, () => PAD_ID)]);
  let ids: number[][] = [];
  let attention: number[][][] = [];
  for (let step = 0; step < steps; step++) {
    const [predicted, weights] = tf.tidy(() => {
      const [logits, weightsOut] = model.predict(inputsOf(model, source, decoderInput)) as tf.Tensor[];
      return [logits!.argMax(-1), weightsOut!];
    });
    ids = (await predicted.array()) as number[][];
    if (step === steps - 1) attention = (await weights.array()) as number[][][];
    tf.dispose([predicted, weights]);
    if (step + 1 < steps) ids.forEach((row, index) => (decoderInput[index]![step + 1] = row[step]!));
  }
  return { ids, attention };
}
