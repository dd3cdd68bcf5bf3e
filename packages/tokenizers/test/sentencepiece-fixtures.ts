// The sentencepiece reference fixtures (scripts/sentencepiece-fixtures.py, python3-sentencepiece
// 0.1.97): small models trained with varied options and the ids sentencepiece gives.
import { readFileSync } from 'node:fs';

const DIR = new URL('../src/__fixtures__/sentencepiece/', import.meta.url);

/** One trained model and what sentencepiece said about it. */
export interface SentencePieceFixture {
  name: string;
  options: Record<string, unknown>;
  proto: {
    pieces: number;
    types: Record<string, number>;
    firstPieces: Array<[string, number, string]>;
    lastPiece: [string, number, string];
    modelType: number;
    unkId: number;
    bosId: number;
    eosId: number;
    padId: number;
    byteFallback: boolean;
    splitDigits: boolean;
    normalizerName: string;
    addDummyPrefix: boolean;
    removeExtraWhitespaces: boolean;
    escapeWhitespaces: boolean;
    charsmapBytes: number;
  };
  ids: number[][];
  withSpecialTokens: number[][];
  decoded: string[];
}

/** `texts` (held-out sentences, then adversarial ones, then seeded random strings) and one entry per model. */
export const SENTENCEPIECE = JSON.parse(readFileSync(new URL('sentencepiece.json', DIR), 'utf8')) as {
  texts: string[];
  heldOut: number;
  adversarial: number;
  random: number;
  configs: SentencePieceFixture[];
};

/** The `.model` file of a fixture, and its path (for error messages). */
export function modelBytes(name: string): { bytes: Uint8Array; path: string } {
  const url = new URL(`${name}.model`, DIR);
  return { bytes: new Uint8Array(readFileSync(url)), path: url.pathname };
}
