import { readFile } from 'node:fs/promises';
import { writeFileAtomically } from '@heed/backends';
import { sentencePieceToTokenizerJSON, Tokenizer } from '@heed/tokenizers';

export const TOKENIZE_USAGE = `heed tokenize --tokenizer <tokenizer.json | file.model> [--input texts.jsonl] [--json] [--add-special-tokens] [--save-json out.json] [text...]

Tokenizes texts with a Hugging Face tokenizer.json or a SentencePiece .model file (read directly
and converted to a tokenizer.json as Hugging Face's converters do). The texts are the arguments,
then the lines of --input (JSON lines {"text": "..."}; blank lines are skipped; - reads stdin).
--json prints one JSON line {"ids":[...],"tokens":[...]} per text, in order; without it each text
gives one line: its ids, a tab, its tokens. No special tokens are added unless
--add-special-tokens is given. --save-json out.json writes the (converted) tokenizer.json.`;

/** What {@link tokenize} read from its arguments. */
interface TokenizeArgs {
  tokenizer: string;
  input: string | null;
  saveJson: string | null;
  json: boolean;
  addSpecialTokens: boolean;
  texts: string[];
}

function parseTokenizeArgs(args: readonly string[]): TokenizeArgs {
  const parsed: TokenizeArgs = { tokenizer: '', input: null, saveJson: null, json: false, addSpecialTokens: false, texts: [] };
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    const value = (): string => {
      const next = args[++index];
      if (next === undefined) throw new Error(`heed tokenize: ${arg} needs a value\n\n${TOKENIZE_USAGE}`);
      return next;
    };
    if (arg === '--tokenizer') parsed.tokenizer = value();
    else if (arg === '--input') parsed.input = value();
    else if (arg === '--save-json') parsed.saveJson = value();
    else if (arg === '--json') parsed.json = true;
    else if (arg === '--add-special-tokens') parsed.addSpecialTokens = true;
    else if (arg === '--') {
      parsed.texts.push(...args.slice(index + 1));
      break;
    }
    else if (arg.startsWith('--')) throw new Error(`heed tokenize: unknown option ${JSON.stringify(arg)}\n\n${TOKENIZE_USAGE}`);
    else parsed.texts.push(arg);
  }
  if (parsed.tokenizer === '') throw new Error(`heed tokenize: --tokenizer <tokenizer.json | file.model> is required\n\n${TOKENIZE_USAGE}`);
  return parsed;
}

/** Loads a tokenizer.json (or a SentencePiece .model); errors name the file and the part. */
async function loadTokenizer(path: string): Promise<{ tokenizer: Tokenizer; json: Record<string, unknown> }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new Error(`heed tokenize: --tokenizer ${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { cause: error });
  }
  // A SentencePiece .model is binary protobuf; a tokenizer.json starts with "{".
  const isJSON = !path.endsWith('.model') && /^\s*\{/.test(bytes.subarray(0, 64).toString('latin1'));
  try {
    const json = isJSON
      ? (JSON.parse(bytes.toString('utf8')) as Record<string, unknown>)
      : sentencePieceToTokenizerJSON(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), path);
    return { tokenizer: Tokenizer.fromJSON(json), json };
  } catch (error) {
    const message = (error as Error).message;
    // sentencepiece errors already start with the path
    throw new Error(message.startsWith(`${path}:`) ? `heed tokenize: --tokenizer ${message}` : `heed tokenize: --tokenizer ${path}: ${message}`, { cause: error });
  }
}

/** The texts of a JSON-lines file (or stdin for `-`); a bad line is an error naming the file and line. */
async function readInputTexts(path: string): Promise<string[]> {
  let content: string;
  try {
    content = path === '-' ? await readStdin() : await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`heed tokenize: --input ${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { cause: error });
  }
  const texts: string[] = [];
  content.split('\n').forEach((line, index) => {
    if (line.trim().length === 0) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new Error(`heed tokenize: --input ${path}:${index + 1}: expected a JSON line {"text": "..."}, got ${cut(line)}`);
    }
    const text = (value as { text?: unknown } | null)?.text;
    if (typeof text !== 'string') throw new Error(`heed tokenize: --input ${path}:${index + 1}: expected {"text": string}, got ${cut(line)}`);
    texts.push(text);
  });
  return texts;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function cut(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

/** Writes to stdout and waits until it is flushed (a pipe must not lose the tail on exit). */
function print(text: string): Promise<void> {
  return new Promise((resolve, reject) => process.stdout.write(text, (error) => (error ? reject(error) : resolve())));
}

/**
 * `heed tokenize`: ids and tokens of texts for a tokenizer.json or SentencePiece .model.
 *
 * @example
 * ```ts
 * await tokenize(['--tokenizer', 'spm.model', '--json', 'Hello world']); // {"ids":[...],"tokens":["▁Hello","▁world"]}
 * ```
 */
export async function tokenize(args: readonly string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    await print(`${TOKENIZE_USAGE}\n`);
    return 0;
  }
  const options = parseTokenizeArgs(args);
  const { tokenizer, json } = await loadTokenizer(options.tokenizer);
  if (options.saveJson !== null) {
    // Written next to the target, then renamed: a failed save leaves an existing file intact.
    try {
      await writeFileAtomically(options.saveJson, `${JSON.stringify(json, null, 2)}\n`);
    } catch (error) {
      throw new Error(`heed tokenize: --save-json ${options.saveJson}: cannot write it (${((error as Error).cause as NodeJS.ErrnoException | undefined)?.code ?? (error as Error).message})`, { cause: error });
    }
  }
  const texts = [...options.texts, ...(options.input === null ? [] : await readInputTexts(options.input))];
  let out = '';
  for (const text of texts) {
    const { ids, tokens } = tokenizer.encode(text, { addSpecialTokens: options.addSpecialTokens });
    out += options.json ? `${JSON.stringify({ ids, tokens })}\n` : `${ids.join(' ')}\t${tokens.join(' ')}\n`;
    if (out.length > 1 << 20) {
      await print(out);
      out = '';
    }
  }
  if (out.length > 0) await print(out);
  return 0;
}
