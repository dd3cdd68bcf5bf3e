import { readFile } from 'node:fs/promises';
import { numLabels, type HfConfig, type HfTokenizer } from '@heed/models';
import { cut } from './hf-checkpoint';

/** One line of a `heed hf fine-tune` JSONL file: `{"text": …, "label": …}` (optionally `text_pair`) or `{"input_ids": […], "label": …}`. */
export interface FineTuneExample {
  readonly text?: string;
  readonly text_pair?: string;
  readonly input_ids?: readonly number[];
  readonly attention_mask?: readonly number[];
  readonly token_type_ids?: readonly number[];
  /** A class id, or a label name from config.json's `label2id`. */
  readonly label: number | string;
  /** `<file> line <n>`, for messages. */
  readonly where: string;
}

const isIdArray = (value: unknown): value is number[] => Array.isArray(value) && value.every((item) => Number.isInteger(item) && item >= 0);

/** Reads and checks a JSONL file of labelled examples; `flag` (`--train`) names it in errors. */
export async function readFineTuneJsonl(path: string, flag: string): Promise<FineTuneExample[]> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new Error(`heed hf fine-tune: ${flag} ${path}: cannot read it (${error.code ?? error.message})`);
  });
  const examples: FineTuneExample[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const where = `${flag} ${path} line ${index + 1}`;
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(line) as Record<string, unknown>;
    } catch (error) {
      throw new Error(`heed hf fine-tune: ${where} is not JSON (${(error as Error).message}): ${cut(line)}`, { cause: error });
    }
    if (row === null || typeof row !== 'object' || Array.isArray(row)) throw new Error(`heed hf fine-tune: ${where}: expected an object like {"text": "...", "label": 1}, got ${cut(line)}`);
    const { label } = row;
    if (!(typeof label === 'string' || (Number.isInteger(label) && (label as number) >= 0))) {
      throw new Error(`heed hf fine-tune: ${where}: "label" must be a class id (an integer >= 0) or a label name, got ${cut(JSON.stringify(label) ?? 'nothing')}`);
    }
    if (typeof row.text === 'string') {
      if (row.text_pair !== undefined && typeof row.text_pair !== 'string') throw new Error(`heed hf fine-tune: ${where}: "text_pair" must be a string, got ${cut(JSON.stringify(row.text_pair))}`);
      examples.push({ text: row.text, ...(typeof row.text_pair === 'string' ? { text_pair: row.text_pair } : {}), label: label as number | string, where });
      return;
    }
    if (!isIdArray(row.input_ids) || row.input_ids.length === 0) {
      throw new Error(`heed hf fine-tune: ${where}: expected "text" (a string) or "input_ids" (non-negative integers), got ${cut(JSON.stringify(row.text ?? row.input_ids ?? Object.keys(row)))}`);
    }
    for (const key of ['attention_mask', 'token_type_ids'] as const) {
      const value = row[key];
      if (value !== undefined && !(isIdArray(value) && value.length === row.input_ids.length)) {
        throw new Error(`heed hf fine-tune: ${where}: "${key}" must be ${row.input_ids.length} integers like "input_ids", got ${cut(JSON.stringify(value))}`);
      }
    }
    examples.push({ input_ids: row.input_ids, ...(row.attention_mask ? { attention_mask: row.attention_mask as number[] } : {}), ...(row.token_type_ids ? { token_type_ids: row.token_type_ids as number[] } : {}), label: label as number | string, where });
  });
  if (examples.length === 0) throw new Error(`heed hf fine-tune: ${flag} ${path} holds no examples`);
  return examples;
}

/**
 * Class ids of the examples: names through config.json's `label2id`, ids as they are. Returns the
 * number of labels the head needs (more than the checkpoint's when an id is past its labels).
 */
export function resolveLabels(examples: readonly FineTuneExample[], config: HfConfig): { labels: number[]; numLabels: number } {
  const label2id = config.label2id;
  const labels = examples.map((example) => {
    if (typeof example.label === 'number') return example.label;
    const id = label2id[example.label];
    if (id === undefined) {
      throw new Error(`heed hf fine-tune: ${example.where}: label ${JSON.stringify(cut(example.label))} is not in config.json's label2id (${Object.keys(label2id).map((name) => JSON.stringify(name)).join(', ')}); use those names or class ids`);
    }
    return id;
  });
  return { labels, numLabels: Math.max(numLabels(config), ...labels.map((label) => label + 1)) };
}

/** Encoded examples, padded to the longest (at most `maxLength`), as the trainer's named inputs. */
export interface EncodedExamples {
  input_ids: number[][];
  attention_mask: number[][];
  token_type_ids: number[][];
  /** Examples cut to `maxLength`. */
  truncated: number;
}

/**
 * Tokenizes text examples (truncation to `maxLength`, special tokens added) and cuts id examples
 * to `maxLength`, then pads every row to the longest with `padId` (attention mask 0 there).
 */
export function encodeExamples(examples: readonly FineTuneExample[], tokenizer: HfTokenizer | undefined, maxLength: number, padId: number): EncodedExamples {
  const rows: { ids: number[]; mask: number[]; types: number[] }[] = [];
  let truncated = 0;
  const texts = examples.filter((example) => example.text !== undefined);
  if (texts.length > 0 && !tokenizer) {
    throw new Error(`heed hf fine-tune: ${texts[0]!.where} gives "text" but the checkpoint has no tokenizer.json; give "input_ids" instead, or add the tokenizer files to the checkpoint`);
  }
  const inputs = texts.map((example) => (example.text_pair === undefined ? example.text! : ([example.text!, example.text_pair] as const)));
  const encoded = tokenizer && inputs.length > 0 ? tokenizer.encode(inputs, { maxLength, truncation: true, padding: false }) : undefined;
  const full = tokenizer && inputs.length > 0 ? tokenizer.encode(inputs, { truncation: false, padding: false }) : undefined;
  let textIndex = 0;
  for (const example of examples) {
    if (example.text !== undefined) {
      const index = textIndex++;
      if (full!.input_ids[index]!.length > maxLength) truncated += 1;
      rows.push({ ids: encoded!.input_ids[index]!, mask: encoded!.attention_mask[index]!, types: encoded!.token_type_ids[index]! });
      continue;
    }
    const ids = example.input_ids!;
    if (ids.length > maxLength) truncated += 1;
    rows.push({
      ids: ids.slice(0, maxLength),
      mask: (example.attention_mask ?? ids.map(() => 1)).slice(0, maxLength),
      types: (example.token_type_ids ?? ids.map(() => 0)).slice(0, maxLength),
    });
  }
  const length = Math.max(...rows.map((row) => row.ids.length));
  const pad = (values: readonly number[], fill: number) => [...values, ...Array<number>(length - values.length).fill(fill)];
  return {
    input_ids: rows.map((row) => pad(row.ids, padId)),
    attention_mask: rows.map((row) => pad(row.mask, 0)),
    token_type_ids: rows.map((row) => pad(row.types, 0)),
    truncated,
  };
}
