#!/usr/bin/env node
import * as tf from '@tensorflow/tfjs';
import { info } from './commands/info';

const USAGE = `usage: heed <command> [options]

commands:
  info [--backend webgpu|wasm|cpu] [--json]   the tensor backends available here and the one heed picks
  help                                        this text`;

async function main(argv: string[]): Promise<number> {
  // Silence tfjs' "install tfjs-node" banner: heed picks wasm in Node on purpose.
  tf.env().set('PROD', true);
  const [command, ...args] = argv;
  switch (command) {
    case 'info':
      await info(args);
      return 0;
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
