import { describe, expect, it } from 'vitest';
import { ProtobufError, readSentencePieceModel, sentencePieceToTokenizerJSON, Tokenizer, TokenizerConfigError } from '../src/index';
import { modelBytes } from './sentencepiece-fixtures';

// A tiny protobuf writer for hand-made ModelProtos (independent of the reader under test).
const varint = (value: number): number[] => {
  const out: number[] = [];
  let rest = BigInt.asUintN(64, BigInt(value));
  do {
    const byte = Number(rest & 0x7fn);
    rest >>= 7n;
    out.push(rest > 0n ? byte | 0x80 : byte);
  } while (rest > 0n);
  return out;
};
const field = (number: number, wire: number, body: number[]): number[] => [...varint(number * 8 + wire), ...(wire === 2 ? varint(body.length) : []), ...body];
const text = (value: string): number[] => [...new TextEncoder().encode(value)];
const float = (value: number): number[] => [...new Uint8Array(new Float32Array([value]).buffer)];
const piece = (value: string, score: number, type = 1): number[] => field(1, 2, [...field(1, 2, text(value)), ...field(2, 5, float(score)), ...field(3, 0, varint(type))]);
const modelProto = (pieces: number[][], trainer: number[] = []): Uint8Array => new Uint8Array([...pieces.flat(), ...field(2, 2, trainer)]);

describe('SentencePiece .model errors name the file and the part', () => {
  const { bytes, path } = modelBytes('unigram-nmt-nfkc');

  it('a truncated file', () => {
    for (const length of [3, 1000, Math.floor(bytes.length / 2), bytes.length - 1]) {
      expect(() => readSentencePieceModel(bytes.subarray(0, length), path), `cut at ${length}`).toThrow(ProtobufError);
      expect(() => readSentencePieceModel(bytes.subarray(0, length), path)).toThrow(new RegExp(`^${path}: (ModelProto|pieces\\[\\d+\\]|trainer_spec|normalizer_spec)`));
    }
    expect(() => readSentencePieceModel(new Uint8Array(0), path)).toThrow(`${path}: expected a SentencePiece ModelProto, got an empty file`);
  });

  it('corrupt bytes', () => {
    const corrupt = bytes.slice();
    corrupt[0] = 0x0f; // field 1 with wire type 7
    expect(() => readSentencePieceModel(corrupt, path)).toThrow(`${path}: ModelProto: field 1: unsupported wire type 7`);
    const notUtf8 = modelProto([piece('<unk>', 0, 2), [...field(1, 2, field(1, 2, [0xff, 0xfe]))]]);
    expect(() => readSentencePieceModel(notUtf8, 'x.model')).toThrow('x.model: pieces[1].piece: expected UTF-8 text');
    expect(() => readSentencePieceModel(new TextEncoder().encode('{"model": {}}'), 'tokenizer.json')).toThrow(/^tokenizer\.json: /);
  });

  it('unknown model and piece types, WORD models', () => {
    expect(() => readSentencePieceModel(modelProto([piece('<unk>', 0, 2), piece('a', -1)], field(3, 0, varint(9))), 'm.model')).toThrow(
      'm.model: trainer_spec.model_type: unknown model type 9',
    );
    expect(() => readSentencePieceModel(modelProto([piece('<unk>', 0, 2), piece('a', -1, 8)]), 'm.model')).toThrow('m.model: pieces[1].type: unknown piece type 8');
    const word = modelProto([piece('<unk>', 0, 2), piece('a', -1)], field(3, 0, varint(3)));
    expect(() => sentencePieceToTokenizerJSON(word, 'w.model')).toThrow('w.model: trainer_spec.model_type: WORD models are not supported');
  });

  it('duplicate, empty or missing pieces', () => {
    expect(() => readSentencePieceModel(modelProto([piece('<unk>', 0, 2), piece('a', -1), piece('b', -2), piece('a', -3)]), 'd.model')).toThrow(
      'd.model: pieces[3].piece: "a" is already pieces[1] (duplicate piece)',
    );
    expect(() => readSentencePieceModel(modelProto([piece('<unk>', 0, 2), piece('', -1)]), 'e.model')).toThrow('e.model: pieces[1].piece: expected a non-empty piece');
    expect(() => readSentencePieceModel(modelProto([piece('a', -1)]), 'u.model')).toThrow('u.model: pieces: expected one piece of type UNKNOWN');
    expect(() => readSentencePieceModel(modelProto([piece('<unk>', 0, 2), piece('<0x41>', 0, 6)]), 'b.model')).toThrow('b.model: pieces[1].type: a BYTE piece "<0x41>", but trainer_spec.byte_fallback is false');
  });

  it('a hand-made model reads its fields, negative ids included, and converts', () => {
    const trainer = [...field(3, 0, varint(1)), ...field(40, 0, varint(0)), ...field(41, 0, varint(-1)), ...field(42, 0, varint(-1))];
    const model = readSentencePieceModel(modelProto([piece('<unk>', 0, 2), piece('▁a', -1), piece('b', -2.5)], trainer), 'h.model');
    expect(model.pieces).toEqual([
      { piece: '<unk>', score: 0, type: 'UNKNOWN' },
      { piece: '▁a', score: -1, type: 'NORMAL' },
      { piece: 'b', score: -2.5, type: 'NORMAL' },
    ]);
    expect([model.trainer.bosId, model.trainer.eosId, model.normalizer.addDummyPrefix]).toEqual([-1, -1, true]);
    const tokenizer = Tokenizer.fromJSON(sentencePieceToTokenizerJSON(model));
    expect(tokenizer.encode('ab  c').tokens).toEqual(['▁a', 'b', '▁c']); // '▁c' unknown: one fused unknown token, its text as in Hugging Face
    expect(tokenizer.encode('ab  c').ids).toEqual([1, 2, 0]);
  });

  it('a tokenizer.json naming a component heed lacks', () => {
    const json = sentencePieceToTokenizerJSON(bytes, path);
    const normalizer = json.normalizer as { normalizers: unknown[] };
    const broken = { ...json, normalizer: { ...normalizer, normalizers: [{ type: 'Nmt' }, ...normalizer.normalizers] } };
    expect(() => Tokenizer.fromJSON(broken)).toThrow(TokenizerConfigError);
    expect(() => Tokenizer.fromJSON(broken)).toThrow(/^normalizer\.normalizers\[0\]\.type: unsupported type string "Nmt"/);
    expect(() => Tokenizer.fromJSON({ ...json, model: { type: 'Unigram', unk_id: 0, vocab: [['a', -1], ['a', -2]] } })).toThrow('model.vocab[1]: duplicate piece string "a"');
  });
});
