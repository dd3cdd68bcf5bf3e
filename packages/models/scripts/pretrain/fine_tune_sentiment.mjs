// Fine-tunes a BERT checkpoint folder (Hugging Face layout, e.g. what pretrain_bert.py writes) in heed on a
// sentiment task written by export_sentiment.mjs, choosing the epoch on the validation split only:
//   1. optionally, domain-adaptive masked-LM training in heed on the task's training texts (--mlm-epochs N:
//      BertForMaskedLM, 15% of the non-special tokens, 80/10/10, --mlm-dup maskings of every text);
//   2. BertForSequenceClassification (a fresh head on the encoder): AdamW, linear warm-up and decay, clipping
//      at 1; validation accuracy after every epoch; the weights of the best epoch (ties: lower validation
//      loss) are kept and written to OUT with the tokenizer files and results.json (what `heed hf fine-tune`
//      writes, plus best_epoch and the selected weights' test accuracy, which is never used to choose).
// Usage: node fine_tune_sentiment.mjs CHECKPOINT_DIR --data DIR(with train/validation/test.jsonl) --out DIR
//          [--epochs 8] [--lr 3e-4] [--batch-size 32] [--max-length 48] [--warmup-ratio 0.1] [--weight-decay 0.01]
//          [--seed 42] [--mlm-epochs 0] [--mlm-lr 5e-4] [--mlm-dup 4] [--backend wasm]
// Needs `turbo run build --filter=@heed/models...` first.
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const tf = await import('@tensorflow/tfjs');
const { initBackend } = await import('@heed/backends');
const { fromPretrained, loadHfTokenizer } = await import('@heed/models');
const { folderSource, savePretrained } = await import('@heed/models/node');
const { SeededRandom, Trainer, adamw, fromHfModel, linearScheduleWithWarmup, sparseCategoricalCrossEntropy, tensorAccuracy, tensorF1 } = await import('@heed/training');

const TOKENIZER_FILES = ['tokenizer.json', 'tokenizer_config.json', 'vocab.txt'];
const args = process.argv.slice(2);
const checkpoint = args[0];
if (!checkpoint || checkpoint.startsWith('--') || !existsSync(join(checkpoint, 'config.json'))) {
  throw new Error(`fine_tune_sentiment.mjs: expected CHECKPOINT_DIR (a folder with config.json) as the first argument; got ${JSON.stringify(checkpoint)}`);
}
const value = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at < 0 ? fallback : args[at + 1];
};
const number = (name, fallback, { integer = false, min = 0 } = {}) => {
  const raw = value(name, undefined);
  if (raw === undefined) return fallback;
  const parsed = Number(raw);
  if (!Number.isFinite(parsed) || parsed < min || (integer && !Number.isInteger(parsed))) {
    throw new Error(`fine_tune_sentiment.mjs: --${name} must be ${integer ? 'an integer' : 'a number'} ≥ ${min}; got ${JSON.stringify(raw)}`);
  }
  return parsed;
};
const data = value('data', undefined);
const out = value('out', undefined);
if (!data || !existsSync(join(data, 'train.jsonl'))) throw new Error(`fine_tune_sentiment.mjs: --data must be a folder with train.jsonl, validation.jsonl, test.jsonl; got ${JSON.stringify(data)}`);
if (!out) throw new Error('fine_tune_sentiment.mjs: --out DIR is required');
const epochs = number('epochs', 8, { integer: true, min: 1 });
const lr = number('lr', 3e-4, { min: Number.MIN_VALUE });
const batchSize = number('batch-size', 32, { integer: true, min: 1 });
const maxLength = number('max-length', 48, { integer: true, min: 4 });
const warmupRatio = number('warmup-ratio', 0.1);
const weightDecay = number('weight-decay', 0.01);
const seed = number('seed', 42, { integer: true });
const mlmEpochs = number('mlm-epochs', 0, { integer: true });
const mlmLr = number('mlm-lr', 5e-4, { min: Number.MIN_VALUE });
const mlmDup = number('mlm-dup', 4, { integer: true, min: 1 });
const backend = value('backend', 'wasm');
// transformers' set_seed: tfjs draws every unseeded random (the fresh head's normal(0, 0.02) init in
// fromPretrained, dropout masks) from a seed taken from Math.random, so a seeded Math.random makes a run
// repeat exactly for a given --seed (without it two runs of one command gave different weights).
const globalRandom = new SeededRandom(seed + 4);
Math.random = () => globalRandom.next();

// The checkpoint's tokenizer files that exist (a Hub folder may have tokenizer.json without vocab.txt).
const copyTokenizerFiles = (target) => {
  for (const file of TOKENIZER_FILES) if (existsSync(join(checkpoint, file))) copyFileSync(join(checkpoint, file), join(target, file));
};
const read = (split) => {
  const path = join(data, `${split}.jsonl`);
  const examples = readFileSync(path, 'utf8').split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line));
  examples.forEach((example, index) => {
    if (typeof example.text !== 'string' || (example.label !== 0 && example.label !== 1)) {
      throw new Error(`fine_tune_sentiment.mjs: ${path} example ${index + 1} must be {"text": string, "label": 0 | 1} (as export_sentiment.mjs writes); got ${JSON.stringify(example).slice(0, 120)}`);
    }
  });
  return examples;
};
const splits = { train: read('train'), validation: read('validation'), test: read('test') };
await initBackend({ backend });
const tokenizer = await loadHfTokenizer(folderSource(checkpoint));
const config = JSON.parse(readFileSync(join(checkpoint, 'config.json'), 'utf8'));
const padId = config.pad_token_id ?? 0;
const encode = (examples) => tokenizer.encode(examples.map((example) => example.text), { maxLength, truncation: true, padding: false });
// Batches padded to their own longest row (rows of similar length batched together: every epoch the order is
// shuffled, then within windows of 8 batches sorted by length, and the batches shuffled), so short sentences
// cost what they are, not the longest sentence's length.
const batchesOf = (rows, labels, { shuffle, seed: batchSeed }) => {
  const random = new SeededRandom(batchSeed);
  return () => {
    const order = shuffle ? Array.from(random.permutation(rows.input_ids.length)) : rows.input_ids.map((_, index) => index);
    const batches = [];
    const window = batchSize * 8;
    for (let start = 0; start < order.length; start += window) {
      const part = order.slice(start, start + window);
      if (shuffle) part.sort((a, b) => rows.input_ids[a].length - rows.input_ids[b].length);
      for (let at = 0; at < part.length; at += batchSize) batches.push(part.slice(at, at + batchSize));
    }
    if (shuffle) {
      const permuted = random.permutation(batches.length);
      batches.splice(0, batches.length, ...Array.from(permuted, (index) => batches[index]));
    }
    return (function* () {
      for (const batch of batches) {
        const length = Math.max(...batch.map((index) => rows.input_ids[index].length));
        const pad = (row, fill) => [...row, ...Array(length - row.length).fill(fill)];
        const matrix = (key, fill) => tf.tensor2d(batch.map((index) => pad(rows[key][index], fill)), [batch.length, length], 'int32');
        const ys = Array.isArray(labels[0]) ? tf.tensor2d(batch.map((index) => pad(labels[index], padId)), [batch.length, length], 'int32') : tf.tensor1d(batch.map((index) => labels[index]), 'int32');
        yield { xs: { input_ids: matrix('input_ids', padId), attention_mask: matrix('attention_mask', 0), token_type_ids: matrix('token_type_ids', 0) }, ys };
      }
    })();
  };
};
const log = (line) => process.stderr.write(`${line}\n`);
const started = performance.now();
const results = { base: checkpoint, data, epochs, learning_rate: lr, batch_size: batchSize, max_length: maxLength, warmup_ratio: warmupRatio, weight_decay: weightDecay, seed, backend, command: `node fine_tune_sentiment.mjs ${args.join(' ')}` };
rmSync(`${out}.tmp`, { recursive: true, force: true });
mkdirSync(`${out}.tmp`, { recursive: true });

// 1. Domain-adaptive masked-LM training on the training texts (never the validation or test texts).
let source = checkpoint;
if (mlmEpochs > 0) {
  const mlm = await fromPretrained(folderSource(checkpoint), { architecture: 'BertForMaskedLM', onWarning: log });
  const vocab = config.vocab_size;
  const ids = JSON.parse(readFileSync(join(checkpoint, 'tokenizer.json'), 'utf8')).model.vocab;
  const special = new Set(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'].map((token) => ids[token]));
  const maskId = ids['[MASK]'];
  if (maskId === undefined) throw new Error(`fine_tune_sentiment.mjs: --mlm-epochs needs a [MASK] token in ${join(checkpoint, 'tokenizer.json')}'s model.vocab (a BERT WordPiece vocabulary); it has none`);
  const random = new SeededRandom(seed + 1);
  const encoded = encode(splits.train);
  const x = { input_ids: [], attention_mask: [], token_type_ids: [] };
  // (rows are unpadded here; batchesOf pads each batch)
  const y = [];
  for (let copy = 0; copy < mlmDup; copy++) {
    encoded.input_ids.forEach((row, index) => {
      const inputs = [...row];
      const labels = row.map(() => padId); // padId: no loss
      let chosen = 0;
      row.forEach((id, position) => {
        if (special.has(id) || random.next() >= 0.15) return;
        chosen += 1;
        labels[position] = id;
        const roll = random.next();
        if (roll < 0.8) inputs[position] = maskId;
        else if (roll < 0.9) inputs[position] = Math.floor(random.next() * vocab);
      });
      if (chosen === 0) return;
      x.input_ids.push(inputs);
      x.attention_mask.push(encoded.attention_mask[index]);
      x.token_type_ids.push(encoded.token_type_ids[index]);
      y.push(labels);
    });
  }
  const totalSteps = mlmEpochs * Math.ceil(y.length / batchSize);
  const trainer = new Trainer({
    model: fromHfModel(mlm),
    loss: (target, logits) => sparseCategoricalCrossEntropy(target, logits, { padId }),
    optimizer: adamw({ weightDecay }),
    schedule: linearScheduleWithWarmup({ peakLearningRate: mlmLr, warmupSteps: Math.ceil(0.06 * totalSteps), totalSteps }),
    clipNorm: 1,
    padId,
    seed,
  });
  const mlmStarted = performance.now();
  const { history } = await trainer.fit(batchesOf(x, y, { shuffle: true, seed: seed + 2 }), { epochs: mlmEpochs, batchSize, callbacks: [{ onEpochEnd: (epoch, logs) => log(`mlm epoch ${epoch + 1}/${mlmEpochs}: loss ${logs.loss.toFixed(4)}`) }] });
  trainer.optimizer.dispose();
  source = join(`${out}.tmp`, 'dapt');
  await savePretrained(mlm, source);
  mlm.dispose();
  copyTokenizerFiles(source);
  results.mlm = { epochs: mlmEpochs, learning_rate: mlmLr, dup: mlmDup, rows: y.length, steps: totalSteps, seconds: (performance.now() - mlmStarted) / 1000, loss: history.map((entry) => entry.loss) };
}

// 2. Sequence classification, the best validation epoch kept.
const model = await fromPretrained(folderSource(source), { architecture: 'BertForSequenceClassification', numLabels: 2, onWarning: log });
const train = encode(splits.train);
const validation = encode(splits.validation);
const stepsPerEpoch = Math.ceil(splits.train.length / batchSize);
const totalSteps = epochs * stepsPerEpoch;
const warmupSteps = Math.ceil(warmupRatio * totalSteps);
const trainer = new Trainer({
  model: fromHfModel(model),
  loss: (target, logits) => sparseCategoricalCrossEntropy(target, logits),
  optimizer: adamw({ weightDecay }),
  schedule: linearScheduleWithWarmup({ peakLearningRate: lr, warmupSteps, totalSteps }),
  clipNorm: 1,
  metrics: { accuracy: tensorAccuracy, f1: tensorF1({ average: 'binary' }) },
  seed,
});
let best;
const keepBest = {
  onEpochEnd: (epoch, logs) => {
    log(`epoch ${epoch + 1}/${epochs}: loss ${logs.loss.toFixed(4)}, eval_loss ${logs.val_loss.toFixed(4)}, eval_accuracy ${logs.val_accuracy.toFixed(4)}`);
    if (best && (logs.val_accuracy < best.accuracy || (logs.val_accuracy === best.accuracy && logs.val_loss >= best.loss))) return;
    best?.weights.forEach((tensor) => tensor.dispose());
    best = { epoch: epoch + 1, accuracy: logs.val_accuracy, loss: logs.val_loss, weights: model.weights.map((weight) => tf.keep(weight.variable.clone())) };
  },
};
const fitStarted = performance.now();
const { history } = await trainer.fit(batchesOf(train, splits.train.map((example) => example.label), { shuffle: true, seed: seed + 3 }), {
  epochs,
  batchSize,
  validationData: batchesOf(validation, splits.validation.map((example) => example.label), { shuffle: false, seed: 0 }),
  callbacks: [keepBest],
});
const fitSeconds = (performance.now() - fitStarted) / 1000;
trainer.optimizer.dispose();
model.weights.forEach((weight, index) => weight.variable.assign(best.weights[index]));
best.weights.forEach((tensor) => tensor.dispose());

const accuracyOn = (examples) => {
  const labels = examples.map((example) => example.label);
  let right = 0;
  for (const { xs, ys } of batchesOf(encode(examples), labels, { shuffle: false, seed: 0 })()) {
    const predicted = tf.tidy(() => model.forward(xs).logits.argMax(-1));
    const classes = predicted.dataSync();
    const truth = ys.dataSync();
    tf.dispose([predicted, ys, xs]);
    classes.forEach((label, offset) => { if (label === truth[offset]) right += 1; });
  }
  return right / examples.length;
};
Object.assign(results, {
  architecture: 'BertForSequenceClassification',
  labels: ['LABEL_0', 'LABEL_1'],
  train_samples: splits.train.length,
  eval_samples: splits.validation.length,
  validation: `${data}/validation.jsonl`,
  warmup_steps: warmupSteps,
  steps: trainer.state.step,
  best_epoch: best.epoch,
  eval_accuracy: best.accuracy,
  eval_loss: best.loss,
  train_loss: history[best.epoch - 1].loss,
  validation_accuracy_check: accuracyOn(splits.validation),
  test_accuracy: accuracyOn(splits.test),
  test_samples: splits.test.length,
  fine_tune_seconds: fitSeconds,
  train_runtime: (performance.now() - started) / 1000,
  history: history.map((entry) => ({ epoch: entry.epoch + 1, loss: entry.loss, learning_rate: entry.learningRate, eval_loss: entry.val_loss, eval_accuracy: entry.val_accuracy, eval_f1: entry.val_f1 })),
  tensors_after: tf.memory().numTensors,
});
await savePretrained(model, `${out}.tmp`);
model.dispose();
copyTokenizerFiles(`${out}.tmp`);
writeFileSync(join(`${out}.tmp`, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
rmSync(out, { recursive: true, force: true });
renameSync(`${out}.tmp`, out);
process.stdout.write(`${JSON.stringify({ out, best_epoch: results.best_epoch, validation: results.eval_accuracy, test: results.test_accuracy, seconds: Math.round(results.train_runtime), mlm: results.mlm?.loss })}\n`);
