import { initBackend } from '@heed/backends';
import { cmudictG2P, evaluateG2P } from '@heed/models';
import { loadCmudictNode } from '@heed/models/node';
import { loadG2PModel } from './g2p-model';

export const EVAL_G2P_USAGE = `heed eval g2p [--model DIR] [--split test|validation] [--beam K] [--limit N] [--json]

Scores a G2P model on a CMUdict split (default test, 6,191 words): WER (share of words whose output
equals none of their reference pronunciations) and PER (edits to the closest reference / its
length). --model DIR: what heed train g2p --out wrote; default: the shipped weights of @heed/models
(weights/g2p). --beam K: beam search width (default 5, as the shipped numbers were measured;
1 = greedy). --limit N: only the first N words of the split. --json prints {"wer","per","words"}.`;

/** What `heed eval g2p` reports. */
export interface G2PEvalScores {
  wer: number;
  per: number;
  words: number;
}

function positiveInteger(flags: Map<string, string>, name: string, fallback: number): number {
  const raw = flags.get(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`heed eval g2p: --${name} must be a positive integer; got ${JSON.stringify(raw)}`);
  return value;
}

/**
 * `heed eval g2p`: WER/PER of a saved G2P model (default: the shipped weights) on a CMUdict split.
 * See {@link EVAL_G2P_USAGE}.
 *
 * @example
 * ```ts
 * const { wer, per, words } = await evalG2P(['--split', 'test', '--json']);
 * ```
 */
export async function evalG2P(args: readonly string[]): Promise<G2PEvalScores> {
  const flags = new Map<string, string>();
  const known = new Set(['model', 'split', 'beam', 'limit']);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--json') continue;
    const name = arg.startsWith('--') ? arg.slice(2) : '';
    if (!known.has(name)) throw new Error(`heed eval g2p: unexpected argument ${JSON.stringify(arg)}\n\n${EVAL_G2P_USAGE}`);
    const value = args[++i];
    if (value === undefined || value.startsWith('--')) throw new Error(`heed eval g2p: ${arg} needs a value`);
    flags.set(name, value);
  }
  const split = flags.get('split') ?? 'test';
  if (split !== 'test' && split !== 'validation') throw new Error(`heed eval g2p: --split must be test or validation; got ${JSON.stringify(split)}`);
  const beamSize = positiveInteger(flags, 'beam', 5);
  const limit = positiveInteger(flags, 'limit', Number.POSITIVE_INFINITY);
  await initBackend({ backend: 'wasm' });
  const { model } = await loadG2PModel(flags.get('model'), 'heed eval g2p');
  try {
    const examples = cmudictG2P(await loadCmudictNode())[split];
    const { wer, per, words } = await evaluateG2P(model, Number.isFinite(limit) ? examples.slice(0, limit) : examples, { batchSize: 250, beamSize });
    return { wer, per, words };
  } finally {
    model.dispose();
  }
}

/**
 * What `heed eval g2p` prints: `{"wer","per","words"}` with `json`, else one line in percent.
 *
 * @example
 * ```ts
 * formatG2PScores({ wer: 0.25, per: 0.06, words: 6191 }, false); // 'WER 25.00%  PER 6.00%  (6191 words)'
 * ```
 */
export function formatG2PScores(scores: G2PEvalScores, json: boolean): string {
  return json ? JSON.stringify(scores) : `WER ${(100 * scores.wer).toFixed(2)}%  PER ${(100 * scores.per).toFixed(2)}%  (${scores.words} words)`;
}
