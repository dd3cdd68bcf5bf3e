#!/usr/bin/env node
import './enable-relaxed-simd'; // first: before any module compiles WebAssembly
import * as tf from '@tensorflow/tfjs';
import { CLASSIFIER_TASKS, EVAL_CLASSIFIER_USAGE, evalClassifier, formatEvalReport, formatPrediction, isClassifierTask, predictClassifier, PREDICT_CLASSIFIER_USAGE } from './commands/classifier-tasks';
import { hf } from './commands/hf';
import { info, INFO_USAGE } from './commands/info';
import { endQuietlyOnClosedPipe, exitWhenDrained } from './exit-when-drained';
import { evalG2P, formatG2PScores, EVAL_G2P_USAGE } from './commands/eval-g2p';
import { g2pOutputStream, predictG2P, PREDICT_G2P_USAGE } from './commands/predict-g2p';
import { tokenize } from './commands/tokenize';
import { trainG2P, TRAIN_G2P_USAGE } from './commands/train-g2p';
import { trainText, TRAIN_TEXT_USAGE } from './commands/train-text';
import { trainVit, TRAIN_VIT_USAGE } from './commands/train-vit';

const USAGE = `usage: heed <command> [options]

commands:
  info [--backend webgpu|wasm|cpu] [--json] [--verbose]   the tensor backends available here and the one heed picks
  train vit [options]                         train a Vision Transformer on MNIST or 8×8 digits (see train vit --help)
  train text [options]                        train a BiLSTM+attention or Transformer text classifier on sentiment or spam (see train text --help)
  train digits|mnist|spam|sentiment [options]  train vit/text with the preset behind the shipped weights (same options)
  eval digits|mnist|sentiment|sentiment-transformer|spam|sentiment-bert|sentiment-cross-bert [--model DIR] [--split test|validation] [--json]   accuracy, macro/per-class P/R/F1, confusion on a split (default test)
  predict digits|mnist (--index N | --image FILE) [--json]    class, probability and attention rollout of an image
  predict sentiment|sentiment-transformer|spam|sentiment-bert|sentiment-cross-bert (TEXT | --file F | --index N) [--json]   class and per-token explanation weights
  train g2p [options]                         train a Seq2Seq grapheme-to-phoneme model on CMUdict, WER/PER on the test split (see train g2p --help)
  eval g2p [--model DIR] [--split test|validation] [--json]   WER/PER of a G2P model (default: the shipped one)
  predict g2p [--model DIR] [--json] [--svg DIR] [--input FILE] <word...>  pronunciations with alignment heatmaps
  hf info|forward|predict|fine-tune <dir|url> [options]   Hugging Face checkpoints: what they are, their outputs, predictions, fine-tuning (see hf --help)
  tokenize --tokenizer <tokenizer.json | file.model> [--input F] [--json] [text...]   ids and tokens (see tokenize --help)
  help                                        this text`;

/** `heed eval g2p` and `heed predict g2p`. */
async function g2pCommand(command: 'eval' | 'predict', args: string[]): Promise<number> {
  const [task, ...rest] = args;
  if (isClassifierTask(task)) {
    if (rest.includes('--help') || rest.includes('-h')) {
      console.log(command === 'eval' ? EVAL_CLASSIFIER_USAGE : PREDICT_CLASSIFIER_USAGE);
      return 0;
    }
    const json = rest.includes('--json');
    if (command === 'eval') {
      const report = await evalClassifier(task, rest);
      console.log(json ? JSON.stringify(report) : formatEvalReport(report));
    } else {
      const predictions = await predictClassifier(task, rest);
      console.log(json ? JSON.stringify(predictions) : predictions.map(formatPrediction).join('\n\n'));
    }
    return 0;
  }
  if (task !== 'g2p') {
    console.error(`heed ${command}: unknown task ${JSON.stringify(task)}\n\n${command === 'eval' ? EVAL_G2P_USAGE : PREDICT_G2P_USAGE}\n(classifier tasks: ${CLASSIFIER_TASKS.join(', ')})`);
    return 2;
  }
  const json = rest.includes('--json');
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command === 'eval' ? EVAL_G2P_USAGE : PREDICT_G2P_USAGE);
    return 0;
  }
  if (command === 'eval') {
    console.log(formatG2PScores(await evalG2P(rest), json));
    return 0;
  }
  // Printed batch by batch as decoded (bounded memory for a long --input), each write flushed.
  const output = g2pOutputStream(json);
  const write = (text: string) => new Promise<void>((done, fail) => void process.stdout.write(text, (error) => (error ? fail(error) : done())));
  await predictG2P(rest, { onPredictions: (batch) => write(output.format(batch)) });
  await write(output.end());
  return 0;
}

async function train(args: string[]): Promise<number> {
  const [task, ...rest] = args;
  // Task aliases: the dataset's preset of train vit / train text (the settings behind the shipped weights).
  if (task === 'digits' || task === 'mnist') return train(['vit', '--dataset', task, ...rest]);
  if (task === 'spam' || task === 'sentiment') return train(['text', '--dataset', task, ...rest]);
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(task === 'vit' ? TRAIN_VIT_USAGE : task === 'text' ? TRAIN_TEXT_USAGE : task === 'g2p' ? TRAIN_G2P_USAGE : USAGE);
    return 0;
  }
  switch (task) {
    case 'vit': {
      const report = await trainVit(rest);
      if (rest.includes('--json')) console.log(JSON.stringify(report, null, 2));
      return 0;
    }
    case 'text': {
      const report = await trainText(rest);
      if (rest.includes('--json')) console.log(JSON.stringify(report, null, 2));
      return 0;
    }
    case 'g2p': {
      const report = await trainG2P(rest);
      if (rest.includes('--json')) console.log(JSON.stringify(report, null, 2));
      return 0;
    }
    default:
      console.error(`heed train: unknown task ${JSON.stringify(task)}\n\n${USAGE}`);
      return 2;
  }
}

async function main(argv: string[]): Promise<number> {
  // Silence tfjs' "install tfjs-node" banner: heed picks wasm in Node on purpose.
  tf.env().set('PROD', true);
  const [command, ...args] = argv;
  switch (command) {
    case 'info':
      if (args.includes('--help') || args.includes('-h')) {
        console.log(INFO_USAGE);
        return 0;
      }
      return info(args);
    case 'train':
      return train(args);
    case 'tokenize':
      return tokenize(args);
    case 'hf':
      return hf(args);
    case 'eval':
    case 'predict':
      return g2pCommand(command, args);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return 0;
    default:
      console.error(`heed: unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
      return 2;
  }
}

// Never process.exit() while output is still buffered: on a pipe that cut `--json` at 64 KiB.
endQuietlyOnClosedPipe();
main(process.argv.slice(2)).then(
  (code) => exitWhenDrained(code),
  (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') return exitWhenDrained(0); // the reader stopped early (| head)
    console.error(error.message);
    return exitWhenDrained(1);
  },
);
