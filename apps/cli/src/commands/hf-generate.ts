import { gpt2Generate, gpt2Stream, loadGpt2Tokenizer, fromPretrained, type GPT2LMHeadModel, type HfTokenizer } from '@heed/models';
import { initBackend, type BackendName } from '@heed/backends';
import { openHfCheckpoint, print, readHfConfig } from './hf-checkpoint';
import { backendArg } from './hf-forward';

export const HF_GENERATE_USAGE = `heed hf generate <dir|url> (--prompt "text" | --input-ids 1,2,3) [--max-new-tokens N]
                  [--greedy | --temperature T --top-k K --top-p P --seed S] [--json] [--backend wasm|cpu|webgpu]
                  [--num-beams N] [--repetition-penalty R] [--stop-ids 50256,13 | --stop-ids none]

Continues a prompt with a GPT-2 checkpoint (GPT2LMHeadModel, key/value cache) and streams the text
(the prompt, then each new token as it comes) to stdout. Greedy unless --temperature, --top-k or
--top-p is given (seeded sampling, --seed default 0: the same seed gives the same text). Stops at
eos_token_id or after --max-new-tokens (default 20, at most n_positions less the prompt).
--json prints one line {"ids":[prompt ids..., new ids...], "text":"..."} at the end instead (text
is the decoded ids without special tokens; null when the checkpoint has no tokenizer).
--prompt needs tokenizer.json (or vocab.json + merges.txt); --input-ids needs none.
--num-beams N (> 1) runs beam search instead (not with sampling; the best beam is printed at the end,
not streamed). --repetition-penalty R (> 0, 1 = off) divides the positive logits of every token
already in the text and multiplies the negative ones (CTRL; transformers' repetition_penalty; on the
log-probabilities in beam search, as transformers). --stop-ids replaces the stop tokens (default
eos_token_id of config.json; several end on any of them, each with its own probability); none runs
to --max-new-tokens. A prompt longer than n_positions is an error (nothing is truncated).`;

interface GenerateArgs {
  location: string | undefined;
  prompt: string | undefined;
  inputIds: number[] | undefined;
  maxNewTokens: number | undefined;
  greedy: boolean;
  temperature: number | undefined;
  topK: number | undefined;
  topP: number | undefined;
  seed: number | undefined;
  json: boolean;
  backend: BackendName | undefined;
  numBeams: number | undefined;
  repetitionPenalty: number | undefined;
  /** undefined = the default (eos_token_id); [] = none. */
  stopIds: number[] | undefined;
}

const fail = (message: string): never => {
  throw new Error(`heed hf generate: ${message}\n\n${HF_GENERATE_USAGE}`);
};

function numberArg(flag: string, value: string | undefined, integer: boolean): number {
  const parsed = value === undefined || value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(parsed) || (integer && !Number.isInteger(parsed))) fail(`${flag} needs ${integer ? 'an integer' : 'a number'}; got ${JSON.stringify(value ?? null)}`);
  return parsed;
}

function parseGenerateArgs(args: readonly string[]): GenerateArgs {
  const parsed: GenerateArgs = { location: undefined, prompt: undefined, inputIds: undefined, maxNewTokens: undefined, greedy: false, temperature: undefined, topK: undefined, topP: undefined, seed: undefined, json: false, backend: undefined, numBeams: undefined, repetitionPenalty: undefined, stopIds: undefined };
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    const value = () => args[++index];
    if (arg === '--prompt') {
      const text = value();
      if (text === undefined) fail('--prompt needs a text');
      parsed.prompt = text;
    } else if (arg === '--input-ids') {
      const text = value() ?? '';
      const ids = text.split(',').map((part) => part.trim());
      if (text.trim() === '' || ids.some((id) => !/^\d+$/.test(id))) fail(`--input-ids needs comma-separated non-negative integers like 1,2,3; got ${JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text)}`);
      parsed.inputIds = ids.map(Number);
    } else if (arg === '--max-new-tokens') parsed.maxNewTokens = numberArg(arg, value(), true);
    else if (arg === '--greedy') parsed.greedy = true;
    else if (arg === '--temperature') parsed.temperature = numberArg(arg, value(), false);
    else if (arg === '--top-k') parsed.topK = numberArg(arg, value(), true);
    else if (arg === '--top-p') parsed.topP = numberArg(arg, value(), false);
    else if (arg === '--seed') parsed.seed = numberArg(arg, value(), true);
    else if (arg === '--json') parsed.json = true;
    else if (arg === '--num-beams') parsed.numBeams = numberArg(arg, value(), true);
    else if (arg === '--repetition-penalty') parsed.repetitionPenalty = numberArg(arg, value(), false);
    else if (arg === '--stop-ids') {
      const text = value() ?? '';
      const ids = text.split(',').map((part) => part.trim());
      if (text.trim() === 'none') parsed.stopIds = [];
      else if (text.trim() === '' || ids.some((id) => !/^\d+$/.test(id))) fail(`--stop-ids needs comma-separated non-negative integers like 50256,13, or none; got ${JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text)}`);
      else parsed.stopIds = ids.map(Number);
    }
    else if (arg === '--backend') parsed.backend = backendArg(value(), 'generate');
    else if (arg.startsWith('--') || parsed.location !== undefined) fail(`unknown argument ${JSON.stringify(arg)}`);
    else parsed.location = arg;
  }
  if ((parsed.prompt === undefined) === (parsed.inputIds === undefined)) fail('give exactly one of --prompt "text" and --input-ids 1,2,3');
  const sampling = parsed.temperature !== undefined || parsed.topK !== undefined || parsed.topP !== undefined || parsed.seed !== undefined;
  if (parsed.greedy && sampling) fail('--greedy takes no --temperature, --top-k, --top-p or --seed (those sample)');
  if (parsed.temperature !== undefined && !(parsed.temperature > 0)) fail(`--temperature must be a positive number; got ${parsed.temperature}`);
  if (parsed.topP !== undefined && !(parsed.topP > 0 && parsed.topP <= 1)) fail(`--top-p must be in (0, 1]; got ${parsed.topP}`);
  if (parsed.topK !== undefined && parsed.topK < 1) fail(`--top-k must be a positive integer; got ${parsed.topK}`);
  if (parsed.maxNewTokens !== undefined && parsed.maxNewTokens < 1) fail(`--max-new-tokens must be a positive integer; got ${parsed.maxNewTokens}`);
  if (parsed.numBeams !== undefined && parsed.numBeams < 1) fail(`--num-beams must be a positive integer; got ${parsed.numBeams}`);
  if (parsed.numBeams !== undefined && parsed.numBeams > 1 && sampling) fail(`--num-beams ${parsed.numBeams} takes no --temperature, --top-k, --top-p or --seed (beam search does not sample)`);
  if (parsed.repetitionPenalty !== undefined && !(parsed.repetitionPenalty > 0)) fail(`--repetition-penalty must be a positive number (1 = off); got ${parsed.repetitionPenalty}`);
  return parsed;
}

/** The text of `ids` without special tokens, or null without a tokenizer. */
const decode = (tokenizer: HfTokenizer | undefined, ids: readonly number[]) => (tokenizer ? tokenizer.tokenizer.decode(ids, { skipSpecialTokens: true }) : null);

/**
 * `heed hf generate`: a GPT-2 checkpoint's continuation of `--prompt` or `--input-ids`, streamed to
 * stdout token by token (or one JSON line with `--json`).
 *
 * @example
 * ```ts
 * await hfGenerate(['checkpoints/gpt2', '--prompt', 'The cat', '--max-new-tokens', '20', '--temperature', '0.8', '--seed', '1']);
 * ```
 */
export async function hfGenerate(args: readonly string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    await print(`${HF_GENERATE_USAGE}\n`);
    return 0;
  }
  const options = parseGenerateArgs(args);
  const checkpoint = await openHfCheckpoint(options.location, 'generate');
  const config = await readHfConfig(checkpoint);
  if (config.model_type !== 'gpt2') {
    throw new Error(`heed hf generate: ${checkpoint.location} is a ${config.architectures[0] ?? config.model_type} (model_type ${config.model_type}); generate needs a GPT-2 language model (model_type gpt2)`);
  }
  const needsTokenizer = options.prompt !== undefined;
  const hasTokenizer = (await checkpoint.source.has('tokenizer.json')) || ((await checkpoint.source.has('vocab.json')) && (await checkpoint.source.has('merges.txt')));
  if (needsTokenizer && !hasTokenizer) throw new Error(`heed hf generate: --prompt needs a tokenizer, but ${checkpoint.location} has neither tokenizer.json nor vocab.json + merges.txt; give --input-ids instead`);
  const tokenizer = hasTokenizer ? await loadGpt2Tokenizer(checkpoint.source, config) : undefined;
  const prompt = options.inputIds ?? tokenizer!.tokenizer.encode(options.prompt!).ids;
  if (prompt.length === 0) throw new Error('heed hf generate: --prompt "" has no tokens; give a text');
  const outside = prompt.findIndex((id) => id >= config.vocab_size);
  if (outside >= 0) throw new Error(`heed hf generate: --input-ids[${outside}] = ${prompt[outside]} is outside the vocabulary (0 ≤ id < vocab_size ${config.vocab_size})`);
  const badStop = (options.stopIds ?? []).findIndex((id) => id >= config.vocab_size);
  if (badStop >= 0) throw new Error(`heed hf generate: --stop-ids[${badStop}] = ${options.stopIds![badStop]} is outside the vocabulary (0 ≤ id < vocab_size ${config.vocab_size})`);
  const room = config.n_positions - prompt.length;
  if (room < 1) throw new Error(`heed hf generate: the prompt has ${prompt.length} tokens, but n_positions of config.json is ${config.n_positions}: no room for a new token (GPT-2 has no positions beyond it); shorten the prompt`);
  if (options.maxNewTokens !== undefined && options.maxNewTokens > room) {
    throw new Error(`heed hf generate: --max-new-tokens ${options.maxNewTokens} + the prompt's ${prompt.length} tokens = ${options.maxNewTokens + prompt.length} exceeds n_positions ${config.n_positions} of config.json; give at most ${room}`);
  }
  await initBackend(options.backend ? { backend: options.backend } : {});
  const model = await fromPretrained<GPT2LMHeadModel>(checkpoint.source, { architecture: 'GPT2LMHeadModel', onWarning: (message) => process.stderr.write(`warning: ${message}\n`) });
  try {
    const ids = [...prompt];
    let shown = '';
    const show = async (final: boolean) => {
      if (options.json) return;
      if (!tokenizer) {
        const text = ids.join(' ');
        await print(text.slice(shown.length) + (final ? '\n' : ' '));
        shown = `${text} `;
        return;
      }
      let text = decode(tokenizer, ids)!;
      if (!final) while (text.endsWith('\uFFFD')) text = text.slice(0, -1); // an incomplete UTF-8 character: wait for its other bytes
      if (text.startsWith(shown) && text.length > shown.length) {
        await print(text.slice(shown.length));
        shown = text;
      }
      if (final) await print('\n');
    };
    await show(false);
    const sampling = !options.greedy && (options.temperature !== undefined || options.topK !== undefined || options.topP !== undefined || options.seed !== undefined);
    const generation = {
      maxNewTokens: options.maxNewTokens ?? Math.min(20, room), doSample: sampling, temperature: options.temperature, topK: options.topK, topP: options.topP, seed: options.seed,
      repetitionPenalty: options.repetitionPenalty, ...(options.stopIds ? { stopTokens: options.stopIds } : {}),
    };
    if ((options.numBeams ?? 1) > 1) {
      // Beam search knows its best beam only at the end: no streaming.
      const [best] = await gpt2Generate(model, [prompt], { ...generation, numBeams: options.numBeams });
      ids.push(...best!.newTokens);
    } else {
      for await (const { token } of gpt2Stream(model, [prompt], generation)) {
        ids.push(token);
        await show(false);
      }
    }
    if (options.json) await print(`${JSON.stringify({ ids, text: decode(tokenizer, ids) })}\n`);
    else await show(true);
  } finally {
    model.dispose();
  }
  return 0;
}
