import { mkdir } from 'node:fs/promises';
import { writeFileAtomically } from '@heed/backends';

/** Parsed `--name value` / `--flag` arguments. */
export type Flags = Map<string, string | true>;

/** Parses `--name value` and `--flag` arguments, refusing any name not in `known` (listing them). */
export function parseFlags(args: readonly string[], known: Readonly<Record<string, 'value' | 'flag'>>, command: string): Flags {
  const flags: Flags = new Map();
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    const name = arg.replace(/^--/, '');
    const kind = known[name];
    if (!arg.startsWith('--') || kind === undefined) {
      throw new Error(`${command}: unknown argument ${JSON.stringify(arg)}; known: ${Object.keys(known).map((key) => `--${key}`).join(', ')}`);
    }
    if (kind === 'flag') {
      flags.set(name, true);
      continue;
    }
    const value = args[index + 1];
    if (value === undefined || value.startsWith('--')) throw new Error(`${command}: --${name} needs a value`);
    flags.set(name, value);
    index++;
  }
  return flags;
}

/** A numeric flag within [min, max] (integer when `integer`), or its default. */
export function numberFlag(flags: Flags, name: string, fallback: number, command: string, { min = -Infinity, max = Infinity, integer = false } = {}): number {
  const raw = flags.get(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw === true || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new Error(`${command}: --${name} must be ${integer ? 'an integer' : 'a number'} in [${min}, ${max}]; got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** A string flag among `choices`, or its default. */
export function choiceFlag<T extends string>(flags: Flags, name: string, choices: readonly T[], fallback: T, command: string): T {
  const raw = flags.get(name);
  if (raw === undefined) return fallback;
  if (raw === true || !choices.includes(raw as T)) throw new Error(`${command}: --${name} must be one of ${choices.join(', ')}; got ${JSON.stringify(raw)}`);
  return raw as T;
}

/** A string flag, or its default. */
export function stringFlag(flags: Flags, name: string, fallback: string): string {
  const raw = flags.get(name);
  return typeof raw === 'string' ? raw : fallback;
}

/** Formats seconds as `12m 34s`. */
export function formatDuration(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `${minutes}m ${Math.round(seconds - minutes * 60)}s` : `${seconds.toFixed(1)}s`;
}

/** The `results.json` written beside exported weights (the shipped `packages/models/weights/<name>/results.json`). */
export interface ExportedResults {
  name: string;
  task: string;
  model: string;
  params: number;
  metrics: Record<string, unknown>;
  trainingSeconds: number;
  epochs: number;
  backend: string;
  command: string;
  date: string;
  weights: 'float32';
}

/**
 * `--export DIR`: writes exactly what shipped weights hold — `config.json` + `model.safetensors` (the
 * model's `save('file://DIR')`) and `results.json` (metrics, command, date) — and nothing else.
 */
export async function exportWeights(directory: string, save: (url: string) => Promise<unknown>, results: Omit<ExportedResults, 'date' | 'weights'>): Promise<void> {
  await mkdir(directory, { recursive: true });
  await save(`file://${directory}`);
  const exported: ExportedResults = { ...results, command: results.command.replace(/ --(?:results|export|out) \S+/g, ''), date: new Date().toISOString(), weights: 'float32' };
  await writeFileAtomically(`${directory}/results.json`, `${JSON.stringify(exported, null, 2)}\n`);
}
