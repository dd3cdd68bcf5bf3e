// Turns a `heed hf fine-tune` output folder into shipped weights packages/models/weights/<NAME>/ (Hugging Face layout):
//   config.json        (id2label/label2id: negative/positive instead of LABEL_0/LABEL_1)
//   model.safetensors  (float16, as PyTorch's tensor.half(); halves the size in git)
//   tokenizer.json, tokenizer_config.json (model_max_length: the fine-tuning --max-length; heed and transformers' fast tokenizer read these)
//   vocab.txt          (tokenizer.json's WordPiece vocabulary, one token a line in id order: for PyTorch/transformers' slow BertTokenizer; vocab_txt.mjs)
//   results.json       (test metrics measured by `heed eval NAME --model <the new folder> --json` on these very
//                       weights, the fine-tuning run's results.json, the pretraining log's summary, commands)
// Usage: node ship_sentiment_bert.mjs NAME FINE_TUNED_DIR PRETRAINED_DIR "fine-tune command" ["pretrain command"]
// Needs `turbo run build --filter=@heed/cli...` first. The old folder is replaced only once the new one is complete.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeVocabTxt } from './vocab_txt.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const [name, fineTuned, pretrained, command, pretrainCommand] = process.argv.slice(2);
if (!['sentiment-bert', 'sentiment-cross-bert'].includes(name)) throw new Error(`ship_sentiment_bert.mjs: NAME must be sentiment-bert or sentiment-cross-bert; got ${JSON.stringify(name)}`);
for (const [what, dir] of [['FINE_TUNED_DIR', fineTuned], ['PRETRAINED_DIR', pretrained]]) {
  if (!dir || !existsSync(join(dir, 'config.json'))) throw new Error(`ship_sentiment_bert.mjs: ${what} must be a folder with config.json; got ${JSON.stringify(dir)}`);
}
if (!command) throw new Error('ship_sentiment_bert.mjs: give the fine-tune command line (4th argument) for results.json');

const { initBackend } = await import('@heed/backends');
const { HfTextClassifier, fromPretrained } = await import('@heed/models');
const { folderSource, savePretrained } = await import('@heed/models/node');

const LABELS = ['negative', 'positive'];
const fineTune = JSON.parse(readFileSync(join(fineTuned, 'results.json'), 'utf8'));
const pretrainLog = existsSync(join(pretrained, 'pretrain_log.json')) ? JSON.parse(readFileSync(join(pretrained, 'pretrain_log.json'), 'utf8')) : undefined;
const weights = resolve(here, '../../weights');
const target = join(weights, name);
const staging = join(weights, `.${name}.tmp`);
rmSync(staging, { recursive: true, force: true });
mkdirSync(staging, { recursive: true });

await initBackend({ backend: 'wasm' });
const model = await fromPretrained(folderSource(fineTuned), { onWarning: (message) => process.stderr.write(`warning: ${message}\n`) });
await savePretrained(model, staging, { dtype: 'F16' });
model.dispose();
const config = JSON.parse(readFileSync(join(staging, 'config.json'), 'utf8'));
config.id2label = Object.fromEntries(LABELS.map((label, id) => [id, label]));
config.label2id = Object.fromEntries(LABELS.map((label, id) => [label, id]));
writeFileSync(join(staging, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
for (const file of ['tokenizer.json']) copyFileSync(join(fineTuned, file), join(staging, file));
writeVocabTxt(staging);
const tokenizerConfig = JSON.parse(readFileSync(join(fineTuned, 'tokenizer_config.json'), 'utf8'));
tokenizerConfig.model_max_length = fineTune.max_length;
writeFileSync(join(staging, 'tokenizer_config.json'), `${JSON.stringify(tokenizerConfig, null, 2)}\n`);

// The shipped numbers are what `heed eval` measures on exactly these files.
const cli = resolve(here, '../../../../apps/cli/dist/cli.js');
const evalJson = (split) => JSON.parse(execFileSync(process.execPath, [cli, 'eval', name, '--model', staging, '--split', split, '--json'], { encoding: 'utf8', maxBuffer: 1 << 26 }));
const test = evalJson('test');
const validation = evalJson('validation');
const positive = test.perClass[1];
const shipped = await HfTextClassifier.fromPretrained(folderSource(staging));
const params = shipped.countParams();
shipped.dispose();
const results = {
  name,
  task: name === 'sentiment-bert' ? 'sentiment' : 'sentiment-cross',
  model: 'BertForSequenceClassification (MLM-pretrained by PyTorch, fine-tuned by heed: scripts/pretrain/fine_tune_sentiment.mjs)',
  params,
  metrics: {
    accuracy: test.accuracy,
    precision: positive.precision,
    recall: positive.recall,
    f1: positive.f1,
    macroF1: test.macro.f1,
    positiveClass: 'positive',
    testExamples: test.examples,
    confusion: test.confusion,
  },
  validation: { accuracy: validation.accuracy, examples: validation.examples, confusion: validation.confusion },
  fineTune,
  pretraining: pretrainLog
    ? { steps: pretrainLog.steps, tokens_seen: pretrainLog.tokens_seen, seconds: pretrainLog.seconds, world_size: pretrainLog.world_size, batch_size_per_process: pretrainLog.batch_size_per_process, first_loss: pretrainLog.curve[0]?.loss, last_loss: pretrainLog.curve.at(-1)?.loss, ...(pretrainCommand ? { command: pretrainCommand } : {}) }
    : null,
  trainingSeconds: fineTune.train_runtime ?? null,
  backend: 'wasm',
  command,
  date: new Date().toISOString(),
  weights: 'float16',
  note: 'metrics: heed eval on the shipped float16 weights; fineTune.eval_*: the float32 weights at the end of fine-tuning, on the validation split',
};
writeFileSync(join(staging, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
rmSync(target, { recursive: true, force: true });
renameSync(staging, target);
process.stdout.write(`${JSON.stringify({ name, accuracy: test.accuracy, validation: validation.accuracy, params })}\n`);
