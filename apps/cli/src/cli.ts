#!/usr/bin/env node
import * as tf from '@tensorflow/tfjs';
import { info } from './commands/info';
import { evalG2P, predictG2P, trainG2P, EVAL_G2P_USAGE, PREDICT_G2P_USAGE, TRAIN_G2P_USAGE } from './commands/train-g2p';
import { trainText, TRAIN_TEXT_USAGE } from './commands/train-text';
import { trainVit, TRAIN_VIT_USAGE } from './commands/train-vit';

const USAGE = `usage: heed <command> [options]

commands:
  info [--backend webgpu|wasm|cpu] [--json]   the tensor backends available here and the one heed picks
  train vit [options]                         train a Vision Transformer on MNIST or 8×8 digits (see train vit --help)
  train text [options]                        train a BiLSTM+attention or Transformer text classifier on sentiment or spam (see train text --help)
  train g2p [options]                         train a Seq2Seq grapheme-to-phoneme model on CMUdict, WER/PER on the test split (see train g2p --help)
  eval g2p --model DIR [--split test|validation] [--beam K] [--json]   WER/PER of a saved G2P model
  predict g2p --model DIR [--beam K] [--json] [--input FILE] <word...>  pronunciations with alignment heatmaps
  help                                        this text`;

/** `heed eval g2p` and `heed predict g2p`. */
async function g2pCommand(command: 'eval' | 'predict', args: string[]): Promise<number> {
  const [task, ...rest] = args;
  if (task !== 'g2p') {
    console.error(`heed ${command}: unknown task ${JSON.stringify(task)}\n\n${command === 'eval' ? EVAL_G2P_USAGE : PREDICT_G2P_USAGE}`);
    return 2;
  }
  const json = rest.includes('--json');
  if (command === 'eval') {
    const scores = await evalG2P(rest);
    console.log(json ? JSON.stringify(scores) : `WER ${(100 * scores.wer).toFixed(2)}%  PER ${(100 * scores.per).toFixed(2)}%  (${scores.words} words)`);
    return 0;
  }
  const results = await predictG2P(rest);
  if (json) console.log(JSON.stringify(results.map(({ word, phonemes, score }) => ({ word, phonemes, score }))));
  else for (const { word, phonemes, heatmap } of results) console.log(`${word}\t${phonemes.join(' ')}\n${heatmap}\n`);
  return 0;
}

async function train(args: string[]): Promise<number> {
  const [task, ...rest] = args;
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
      await info(args);
      return 0;
    case 'train':
      return train(args);
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

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(error.message);
    process.exit(1);
  },
);
