import { fieldFloat, fieldString, fieldVarint, ProtobufError, readFields, WIRE, type ProtobufField } from './protobuf-reader';

/**
 * Piece types of a SentencePiece model (`ModelProto.SentencePiece.Type`).
 *
 * @example
 * ```ts
 * model.pieces.filter((piece) => piece.type === 'BYTE').length; // 256 with byte fallback
 * ```
 */
export type SentencePieceType = 'NORMAL' | 'UNKNOWN' | 'CONTROL' | 'USER_DEFINED' | 'UNUSED' | 'BYTE';

const PIECE_TYPES: Record<number, SentencePieceType> = { 1: 'NORMAL', 2: 'UNKNOWN', 3: 'CONTROL', 4: 'USER_DEFINED', 5: 'UNUSED', 6: 'BYTE' };
const MODEL_TYPES: Record<number, 'UNIGRAM' | 'BPE' | 'WORD' | 'CHAR'> = { 1: 'UNIGRAM', 2: 'BPE', 3: 'WORD', 4: 'CHAR' };

/**
 * What heed reads of a SentencePiece `.model` file (`ModelProto`): the pieces, the trainer flags
 * that change encoding, and the normalizer spec with its precompiled charsmap. Defaults are
 * protobuf's (`add_dummy_prefix`, `remove_extra_whitespaces`, `escape_whitespaces` true; unk 0,
 * bos 1, eos 2, pad -1).
 *
 * @example
 * ```ts
 * const model = readSentencePieceModel(readFileSync('spm.model'), 'spm.model');
 * model.modelType; // 'UNIGRAM'
 * model.pieces[3]; // { piece: '▁the', score: -3.1, type: 'NORMAL' }
 * ```
 */
export interface SentencePieceModel {
  pieces: Array<{ piece: string; score: number; type: SentencePieceType }>;
  modelType: 'UNIGRAM' | 'BPE' | 'WORD' | 'CHAR';
  trainer: {
    unkId: number;
    bosId: number;
    eosId: number;
    padId: number;
    unkPiece: string;
    bosPiece: string;
    eosPiece: string;
    padPiece: string;
    byteFallback: boolean;
    splitDigits: boolean;
    treatWhitespaceAsSuffix: boolean;
    vocabSize: number;
  };
  normalizer: {
    name: string;
    precompiledCharsmap: Uint8Array;
    addDummyPrefix: boolean;
    removeExtraWhitespaces: boolean;
    escapeWhitespaces: boolean;
  };
}

/**
 * Reads a SentencePiece `.model` (a serialized `ModelProto`). Truncated or corrupt bytes, unknown
 * piece or model types, duplicate or empty pieces and a missing unknown piece are errors naming
 * `source` (the file) and the part.
 *
 * @example
 * ```ts
 * const model = readSentencePieceModel(new Uint8Array(readFileSync('t5.model')), 't5.model');
 * ```
 */
export function readSentencePieceModel(bytes: Uint8Array, source = '(sentencepiece model)'): SentencePieceModel {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`readSentencePieceModel: bytes: expected a Uint8Array, got ${typeof bytes}`);
  if (bytes.length === 0) throw new ProtobufError(`${source}: expected a SentencePiece ModelProto, got an empty file`);
  const model: SentencePieceModel = {
    pieces: [],
    modelType: 'UNIGRAM',
    trainer: { unkId: 0, bosId: 1, eosId: 2, padId: -1, unkPiece: '<unk>', bosPiece: '<s>', eosPiece: '</s>', padPiece: '<pad>', byteFallback: false, splitDigits: false, treatWhitespaceAsSuffix: false, vocabSize: 8000 },
    normalizer: { name: '', precompiledCharsmap: new Uint8Array(0), addDummyPrefix: true, removeExtraWhitespaces: true, escapeWhitespaces: true },
  };
  for (const field of readFields(bytes, source, 'ModelProto')) {
    if (field.number === 1) model.pieces.push(readPiece(field, source, `pieces[${model.pieces.length}]`));
    else if (field.number === 2) readTrainerSpec(field, source, model);
    else if (field.number === 3) readNormalizerSpec(field, source, model);
    // 4 (self-test data), 5 (denormalizer spec) and unknown fields are skipped, as protobuf does
  }
  validate(model, source);
  return model;
}

function submessage(field: ProtobufField, source: string, path: string): ProtobufField[] {
  if (field.wireType !== WIRE.bytes) throw new ProtobufError(`${source}: ${path}: expected a message, got wire type ${field.wireType} (at byte ${field.offset})`);
  return readFields(field.bytes, source, path, field.dataOffset);
}

function readPiece(field: ProtobufField, source: string, path: string): SentencePieceModel['pieces'][number] {
  const piece = { piece: '', score: 0, type: 'NORMAL' as SentencePieceType };
  for (const inner of submessage(field, source, path)) {
    if (inner.number === 1) piece.piece = fieldString(inner, source, `${path}.piece`);
    else if (inner.number === 2) piece.score = fieldFloat(inner, source, `${path}.score`);
    else if (inner.number === 3) {
      const type = PIECE_TYPES[fieldVarint(inner, source, `${path}.type`)];
      if (type === undefined) throw new ProtobufError(`${source}: ${path}.type: unknown piece type ${inner.value}; expected 1-6 (NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE)`);
      piece.type = type;
    }
  }
  return piece;
}

function readTrainerSpec(field: ProtobufField, source: string, model: SentencePieceModel): void {
  const trainer = model.trainer;
  for (const inner of submessage(field, source, 'trainer_spec')) {
    const path = `trainer_spec.${TRAINER_FIELDS[inner.number] ?? inner.number}`;
    switch (inner.number) {
      case 3: {
        const type = MODEL_TYPES[fieldVarint(inner, source, path)];
        if (type === undefined) throw new ProtobufError(`${source}: ${path}: unknown model type ${inner.value}; expected 1 (UNIGRAM), 2 (BPE), 3 (WORD) or 4 (CHAR)`);
        model.modelType = type;
        break;
      }
      case 4: trainer.vocabSize = fieldVarint(inner, source, path); break;
      case 24: trainer.treatWhitespaceAsSuffix = fieldVarint(inner, source, path) !== 0; break;
      case 25: trainer.splitDigits = fieldVarint(inner, source, path) !== 0; break;
      case 35: trainer.byteFallback = fieldVarint(inner, source, path) !== 0; break;
      case 40: trainer.unkId = fieldVarint(inner, source, path); break;
      case 41: trainer.bosId = fieldVarint(inner, source, path); break;
      case 42: trainer.eosId = fieldVarint(inner, source, path); break;
      case 43: trainer.padId = fieldVarint(inner, source, path); break;
      case 45: trainer.unkPiece = fieldString(inner, source, path); break;
      case 46: trainer.bosPiece = fieldString(inner, source, path); break;
      case 47: trainer.eosPiece = fieldString(inner, source, path); break;
      case 48: trainer.padPiece = fieldString(inner, source, path); break;
      default: break;
    }
  }
}

const TRAINER_FIELDS: Record<number, string> = {
  3: 'model_type', 4: 'vocab_size', 24: 'treat_whitespace_as_suffix', 25: 'split_digits', 35: 'byte_fallback',
  40: 'unk_id', 41: 'bos_id', 42: 'eos_id', 43: 'pad_id', 45: 'unk_piece', 46: 'bos_piece', 47: 'eos_piece', 48: 'pad_piece',
};

function readNormalizerSpec(field: ProtobufField, source: string, model: SentencePieceModel): void {
  const normalizer = model.normalizer;
  for (const inner of submessage(field, source, 'normalizer_spec')) {
    if (inner.number === 1) normalizer.name = fieldString(inner, source, 'normalizer_spec.name');
    else if (inner.number === 2) {
      if (inner.wireType !== WIRE.bytes) fieldString(inner, source, 'normalizer_spec.precompiled_charsmap');
      normalizer.precompiledCharsmap = inner.bytes.slice();
    } else if (inner.number === 3) normalizer.addDummyPrefix = fieldVarint(inner, source, 'normalizer_spec.add_dummy_prefix') !== 0;
    else if (inner.number === 4) normalizer.removeExtraWhitespaces = fieldVarint(inner, source, 'normalizer_spec.remove_extra_whitespaces') !== 0;
    else if (inner.number === 5) normalizer.escapeWhitespaces = fieldVarint(inner, source, 'normalizer_spec.escape_whitespaces') !== 0;
  }
}

function validate(model: SentencePieceModel, source: string): void {
  if (model.pieces.length === 0) throw new ProtobufError(`${source}: pieces: expected at least one piece, got none (not a SentencePiece model?)`);
  const seen = new Map<string, number>();
  let unknown = -1;
  model.pieces.forEach(({ piece, type }, index) => {
    if (piece.length === 0) throw new ProtobufError(`${source}: pieces[${index}].piece: expected a non-empty piece, got ""`);
    const previous = seen.get(piece);
    if (previous !== undefined) throw new ProtobufError(`${source}: pieces[${index}].piece: ${cut(piece)} is already pieces[${previous}] (duplicate piece)`);
    seen.set(piece, index);
    if (type === 'UNKNOWN') {
      if (unknown >= 0) throw new ProtobufError(`${source}: pieces[${index}].type: a second UNKNOWN piece (pieces[${unknown}] is one)`);
      unknown = index;
    }
    if (type === 'BYTE' && !model.trainer.byteFallback) throw new ProtobufError(`${source}: pieces[${index}].type: a BYTE piece ${cut(piece)}, but trainer_spec.byte_fallback is false`);
  });
  if (unknown < 0) throw new ProtobufError(`${source}: pieces: expected one piece of type UNKNOWN, found none`);
  if (model.trainer.unkId !== unknown) throw new ProtobufError(`${source}: trainer_spec.unk_id: is ${model.trainer.unkId}, but the UNKNOWN piece is pieces[${unknown}]`);
  if (model.trainer.treatWhitespaceAsSuffix) throw new ProtobufError(`${source}: trainer_spec.treat_whitespace_as_suffix: true is not supported`);
}

function cut(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}
