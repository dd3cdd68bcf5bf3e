import { readSentencePieceModel, type SentencePieceModel } from './sentencepiece-model';

const SPACE = '\u2581';

/**
 * Converts a SentencePiece `.model` (bytes or {@link readSentencePieceModel}'s result) to a Hugging
 * Face `tokenizer.json` object, as transformers' `SpmConverter` does (Unigram or BPE model with the
 * pieces, `Precompiled` charsmap normalizer, `Metaspace` pre-tokenizer, control and user-defined
 * pieces as added tokens, merges from the vocabulary for BPE, byte fallback), except that the
 * whitespace handling follows the model's flags exactly as sentencepiece does: leading, trailing
 * and repeated spaces are removed only with `remove_extra_whitespaces`, and the "▁" dummy prefix is
 * a `Prepend` normalizer only with `add_dummy_prefix`. The post-processor adds bos/eos (those the
 * model has) when special tokens are asked for. WORD and CHAR models are an error.
 *
 * @example
 * ```ts
 * const tokenizer = Tokenizer.fromJSON(sentencePieceToTokenizerJSON(readFileSync('spm.model'), 'spm.model'));
 * tokenizer.encode('Hello world', { addSpecialTokens: false }).tokens; // ['▁Hello', '▁world']
 * ```
 */
export function sentencePieceToTokenizerJSON(input: Uint8Array | SentencePieceModel, source = '(sentencepiece model)'): Record<string, unknown> {
  const model = input instanceof Uint8Array ? readSentencePieceModel(input, source) : input;
  const { pieces, trainer, normalizer } = model;
  if (model.modelType !== 'UNIGRAM' && model.modelType !== 'BPE') {
    throw new Error(`${source}: trainer_spec.model_type: ${model.modelType} models are not supported; expected UNIGRAM or BPE`);
  }
  const normalizers: Array<Record<string, unknown>> = [];
  if (normalizer.precompiledCharsmap.length > 0) normalizers.push({ type: 'Precompiled', precompiled_charsmap: base64(normalizer.precompiledCharsmap) });
  if (normalizer.removeExtraWhitespaces) {
    // sentencepiece drops leading and trailing spaces (and trailing "▁"s) and repeated spaces
    normalizers.push({ type: 'Replace', pattern: { Regex: `(?<![\\s\\S]) +|[ ${SPACE}]+(?![\\s\\S])` }, content: '' });
    normalizers.push({ type: 'Replace', pattern: { Regex: ' {2,}' }, content: ' ' });
  }
  if (normalizer.addDummyPrefix) normalizers.push({ type: 'Prepend', prepend: SPACE });
  if (normalizer.escapeWhitespaces) normalizers.push({ type: 'Replace', pattern: { String: ' ' }, content: SPACE });
  const added = pieces.flatMap(({ piece, type }, id) =>
    type === 'CONTROL' || type === 'USER_DEFINED'
      ? [{ id, content: piece, single_word: false, lstrip: false, rstrip: false, normalized: false, special: type === 'CONTROL' }]
      : [],
  );
  const unkPiece = pieces[trainer.unkId]!.piece;
  // sentencepiece writes an unknown piece as " ⁇ " (its default unk_surface) when decoding
  const decoders: Array<Record<string, unknown>> = [
    { type: 'Replace', pattern: { String: unkPiece }, content: ' \u2047 ' },
    { type: 'Replace', pattern: { String: SPACE }, content: ' ' },
  ];
  if (trainer.byteFallback) decoders.push({ type: 'ByteFallback' });
  decoders.push({ type: 'Fuse' });
  if (normalizer.addDummyPrefix) decoders.push({ type: 'Strip', content: ' ', start: 1, stop: 0 });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: normalizers.length === 0 ? null : { type: 'Sequence', normalizers },
    // BPE: splitting before each "▁" is exact (sentencepiece's pieces never hold "▁" after their
    // start) and lets words be cached. Unigram: one Viterbi over the whole text, because
    // sentencepiece sums float32 scores along the whole sentence and ties break on that rounding.
    pre_tokenizer: { type: 'Metaspace', replacement: SPACE, prepend_scheme: 'never', split: model.modelType === 'BPE' },
    post_processor: postProcessor(model),
    decoder: { type: 'Sequence', decoders },
    model:
      model.modelType === 'UNIGRAM'
        ? { type: 'Unigram', unk_id: trainer.unkId, vocab: pieces.map(({ piece, score }) => [piece, score]), byte_fallback: trainer.byteFallback }
        : {
            type: 'BPE',
            dropout: null,
            unk_token: unkPiece,
            continuing_subword_prefix: null,
            end_of_word_suffix: null,
            fuse_unk: true,
            byte_fallback: trainer.byteFallback,
            ignore_merges: false,
            vocab: Object.fromEntries(pieces.map(({ piece }, id) => [piece, id])),
            merges: generateMerges(model),
          },
  };
}

/** `<s> $A </s>` with the bos/eos pieces the model has (sentencepiece's add_bos / add_eos). */
function postProcessor(model: SentencePieceModel): Record<string, unknown> | null {
  const { trainer, pieces } = model;
  const special = [trainer.bosId, trainer.eosId].filter((id) => id >= 0 && id < pieces.length);
  if (special.length === 0) return null;
  const token = (id: number) => ({ SpecialToken: { id: pieces[id]!.piece, type_id: 0 } });
  const single: unknown[] = [];
  if (trainer.bosId >= 0) single.push(token(trainer.bosId));
  single.push({ Sequence: { id: 'A', type_id: 0 } });
  if (trainer.eosId >= 0) single.push(token(trainer.eosId));
  const pair = [...single, ...single.map((item) => ('Sequence' in (item as object) ? { Sequence: { id: 'B', type_id: 1 } } : item))];
  return {
    type: 'TemplateProcessing',
    single,
    pair,
    special_tokens: Object.fromEntries(special.map((id) => [pieces[id]!.piece, { id: pieces[id]!.piece, ids: [id], tokens: [pieces[id]!.piece] }])),
  };
}

/**
 * BPE merges from a SentencePiece vocabulary, as transformers' `generate_merges(vocab, vocab_scores)`:
 * every split of every piece into two pieces, ordered by the merged piece's score (highest first),
 * then longer left and right parts first; a piece's splits by the ids of their parts.
 */
function generateMerges(model: SentencePieceModel): Array<[string, string]> {
  const ids = new Map(model.pieces.map(({ piece }, id) => [piece, id]));
  const merges: Array<{ left: string; right: string; score: number; leftLength: number; rightLength: number; order: number }> = [];
  for (const { piece, score } of model.pieces) {
    const chars = Array.from(piece);
    const local: Array<{ left: string; right: string; leftLength: number; rightLength: number }> = [];
    for (let index = 1; index < chars.length; index++) {
      const left = chars.slice(0, index).join('');
      const right = chars.slice(index).join('');
      if (ids.has(left) && ids.has(right)) local.push({ left, right, leftLength: index, rightLength: chars.length - index });
    }
    local.sort((a, b) => ids.get(a.left)! - ids.get(b.left)! || ids.get(a.right)! - ids.get(b.right)!);
    for (const merge of local) merges.push({ ...merge, score, order: merges.length });
  }
  // Python's sorted(key=(score, len(left), len(right)), reverse=True) is stable: equal keys keep their order.
  merges.sort((a, b) => b.score - a.score || b.leftLength - a.leftLength || b.rightLength - a.rightLength || a.order - b.order);
  return merges.map(({ left, right }) => [left, right]);
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let index = 0; index < bytes.length; index += 0x8000) binary += String.fromCharCode(...bytes.subarray(index, index + 0x8000));
  return btoa(binary);
}
