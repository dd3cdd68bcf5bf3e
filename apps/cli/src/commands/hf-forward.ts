import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import * as tf from '@tensorflow/tfjs';
import { fromPretrained, loadHfTokenizer, type HfModel, type HfModelOutput, type HfTokenizer } from '@heed/models';
import { initBackend, isBackendName, type BackendName } from '@heed/backends';
import { openHfCheckpoint, print, readHfConfig, type HfCheckpoint } from './hf-checkpoint';
import { parseHfInputLine } from './hf-inputs';

export const HF_FORWARD_USAGE = `heed hf forward <dir|url> --input <file.jsonl> [--attentions] [--hidden-states] --json [--backend wasm|cpu|webgpu]

Runs a Hugging Face checkpoint (model.eval()) on each line of --input (- reads stdin; blank lines
are skipped), one input per line:
  {"input_ids": [...], "attention_mask": [...], "token_type_ids": [...]}   (mask and types optional)
  {"text": "...", "text_pair": "..."}   when the checkpoint has tokenizer.json (pair optional; cut to
                                         min(128, model_max_length) tokens)
  {"pixel_values": [[[...]]]}            ViT: channels × height × width floats, already preprocessed
and prints one JSON line per input: "logits" for a model with a head ([labels] for sequence and
image classification, [tokens][labels|vocab] for token classification and masked LM), else
"last_hidden_state" [tokens][hidden]; with --attentions "attentions" [layer][head][query][key];
with --hidden-states "hidden_states" [layer + 1][tokens][hidden].`;

interface ForwardArgs {
  location: string | undefined;
  input: string;
  attentions: boolean;
  hiddenStates: boolean;
  backend: BackendName | undefined;
}

function parseForwardArgs(args: readonly string[]): ForwardArgs {
  const parsed: ForwardArgs = { location: undefined, input: '', attentions: false, hiddenStates: false, backend: undefined };
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (arg === '--input') {
      const next = args[++index];
      if (next === undefined) throw new Error(`heed hf forward: --input needs a file (or - for stdin)\n\n${HF_FORWARD_USAGE}`);
      parsed.input = next;
    } else if (arg === '--backend') parsed.backend = backendArg(args[++index], 'forward');
    else if (arg === '--attentions') parsed.attentions = true;
    else if (arg === '--hidden-states') parsed.hiddenStates = true;
    else if (arg === '--json') continue;
    else if (arg.startsWith('--') || parsed.location !== undefined) throw new Error(`heed hf forward: unknown argument ${JSON.stringify(arg)}\n\n${HF_FORWARD_USAGE}`);
    else parsed.location = arg;
  }
  if (parsed.input === '') throw new Error(`heed hf forward: --input <file.jsonl> is required\n\n${HF_FORWARD_USAGE}`);
  return parsed;
}

/** The value of `--backend`, checked. */
export function backendArg(value: string | undefined, command: string): BackendName {
  if (value === undefined || !isBackendName(value)) throw new Error(`heed hf ${command}: --backend must be wasm, cpu or webgpu; got ${JSON.stringify(value ?? null)}`);
  return value;
}

/** Loads a checkpoint's model for the CLI; warnings (fresh heads, cut inputs) go to stderr. */
export async function loadHfModel(checkpoint: HfCheckpoint): Promise<HfModel> {
  return fromPretrained(checkpoint.source, { onWarning: (message) => process.stderr.write(`warning: ${message}\n`) });
}

/** The checkpoint's tokenizer, or undefined when it has no tokenizer.json. */
export async function maybeTokenizer(checkpoint: HfCheckpoint): Promise<HfTokenizer | undefined> {
  return (await checkpoint.source.has('tokenizer.json')) ? loadHfTokenizer(checkpoint.source) : undefined;
}

/** Nested arrays of a tensor without its batch dimension (batch 1). */
async function unbatched(tensor: tf.Tensor): Promise<unknown> {
  const nested = (await tensor.array()) as unknown[];
  return nested[0];
}

/** The JSON object `heed hf forward` prints for one output (batch 1). */
export async function forwardJson(output: HfModelOutput, options: { attentions: boolean; hiddenStates: boolean }): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  if (output.logits) out.logits = await unbatched(output.logits);
  else out.last_hidden_state = await unbatched(output.last_hidden_state);
  if (options.attentions) out.attentions = await Promise.all((output.attentions ?? []).map(unbatched));
  if (options.hiddenStates) out.hidden_states = await Promise.all((output.hidden_states ?? []).map(unbatched));
  return out;
}

/**
 * `heed hf forward`: a checkpoint's outputs for each JSON line of `--input`, one JSON line each,
 * written as they are computed (each write waits for stdout to drain).
 *
 * @example
 * ```ts
 * await hfForward(['checkpoints/bert-tiny', '--input', 'inputs.jsonl', '--attentions', '--json']);
 * // {"logits":[-0.41,0.22],"attentions":[[[[…]]]]}
 * ```
 */
export async function hfForward(args: readonly string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    await print(`${HF_FORWARD_USAGE}\n`);
    return 0;
  }
  const options = parseForwardArgs(args);
  const checkpoint = await openHfCheckpoint(options.location, 'forward');
  await readHfConfig(checkpoint); // a missing or bad config.json fails before any backend starts
  await initBackend(options.backend ? { backend: options.backend } : {});
  const model = await loadHfModel(checkpoint);
  const tokenizer = await maybeTokenizer(checkpoint);
  const name = options.input === '-' ? 'stdin' : options.input;
  const stream = options.input === '-' ? process.stdin : createReadStream(options.input, 'utf8');
  const opened = new Promise<void>((resolve, reject) => {
    if (options.input === '-') resolve();
    stream.once('error', (error: NodeJS.ErrnoException) => reject(new Error(`heed hf forward: --input ${name}: cannot read it (${error.code ?? error.message})`, { cause: error })));
    stream.once('open', () => resolve());
  });
  await opened;
  try {
    let number = 0;
    for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
      number++;
      if (line.trim().length === 0) continue;
      const { inputs } = parseHfInputLine(line, `heed hf forward: --input ${name}:${number}`, model.config, () => tokenizer, checkpoint.location);
      try {
        const output = model.forward(inputs, { outputAttentions: options.attentions, outputHiddenStates: options.hiddenStates });
        try {
          await print(`${JSON.stringify(await forwardJson(output, options))}\n`);
        } finally {
          tf.dispose(Object.values(output) as tf.Tensor[]);
        }
      } finally {
        tf.dispose(Object.values(inputs) as tf.Tensor[]);
      }
    }
  } finally {
    model.dispose();
  }
  return 0;
}
