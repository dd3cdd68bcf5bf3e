import { HF_FINE_TUNE_USAGE, hfFineTune } from './hf-fine-tune';
import { HF_FINE_TUNE_CAUSAL_LM_USAGE } from './hf-fine-tune-causal-lm';
import { HF_FORWARD_USAGE, hfForward } from './hf-forward';
import { HF_GENERATE_USAGE, hfGenerate } from './hf-generate';
import { HF_INFO_USAGE, hfInfo } from './hf-info';
import { HF_PREDICT_USAGE, hfPredict } from './hf-predict';
import { print } from './hf-checkpoint';

export const HF_USAGE = `heed hf <command> <dir|url> [options]   Hugging Face checkpoints (a folder, or a base URL in the Hub's layout)

commands:
  info <dir|url> [--json]                                    architecture, parameters, dtype, files, tokenizer
  forward <dir|url> --input <file.jsonl> [--attentions] [--hidden-states] --json
                                                             model outputs, one JSON line per input line
  predict <dir|url> ("text" | --image FILE) [--json]         labels with probabilities and the attention view
  generate <dir|url> (--prompt "text" | --input-ids 1,2,3) [--max-new-tokens N] [--greedy | --temperature T --top-k K --top-p P --seed S] [--json]
                                                             GPT-2 text, streamed token by token
  fine-tune <dir|url> --train <file.jsonl> [--validation <file.jsonl>] [--epochs N] [--lr X] [--batch-size N] [--max-length 128] --out <dir>
                                                             fine-tune a sequence classifier, write the HF layout + results.json
  fine-tune <gpt2 dir|url> --train <file.txt> [--validation <file.txt>] [--block-size N] [--epochs N] --out <dir>
                                                             fine-tune GPT-2 as a causal LM on a text, report perplexity

${HF_INFO_USAGE}

${HF_FORWARD_USAGE}

${HF_PREDICT_USAGE}

${HF_GENERATE_USAGE}

${HF_FINE_TUNE_USAGE}

${HF_FINE_TUNE_CAUSAL_LM_USAGE}`;

/** Subcommands of `heed hf`; `fine-tune` belongs to the Trainer's command. */
const COMMANDS: Record<string, (args: readonly string[]) => Promise<number>> = {
  info: hfInfo,
  'fine-tune': hfFineTune,
  forward: hfForward,
  predict: hfPredict,
  generate: hfGenerate,
};

/**
 * `heed hf <command>`: runs a Hugging Face checkpoint command.
 *
 * @example
 * ```ts
 * await hf(['info', 'checkpoints/bert-tiny']);
 * ```
 */
export async function hf(args: readonly string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    await print(`${HF_USAGE}\n`);
    return 0;
  }
  const run = COMMANDS[command];
  if (!run) {
    process.stderr.write(`heed hf: unknown command ${JSON.stringify(command)}\n\n${HF_USAGE}\n`);
    return 2;
  }
  return run(rest);
}
