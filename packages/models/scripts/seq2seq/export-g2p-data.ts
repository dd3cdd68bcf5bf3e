/**
 * Writes heed's CMUdict G2P data as ids, for the PyTorch peer (`torch_g2p.py`): the training pairs
 * (one per reference pronunciation, source graphemes without BOS/EOS, target phonemes with them),
 * the 2,000 validation words `heed train g2p` selects on, the test words with every reference, and
 * the phoneme vocabulary. Same tokenizers, same FNV-1a split, so both train on identical pairs.
 * Not a test. Run from packages/models:
 *
 *   tsx scripts/seq2seq/export-g2p-data.ts /tmp/g2p-data.json
 */
import { writeFileSync } from 'node:fs';
import { cmudictG2P, type G2PExample } from '../../src/data/cmudict/cmudict-g2p';
import { g2pVocabularies } from '../../src/data/vocab/g2p-vocabularies';
import { loadCmudictNode } from '../../src/data/cmudict/load-cmudict-node';
import { g2pPairs, tokenizerVocabSize } from '../../src/seq2seq/g2p-task';

const out = process.argv[2];
if (!out) throw new Error('usage: tsx scripts/seq2seq/export-g2p-data.ts OUT.json');
const data = cmudictG2P(await loadCmudictNode());
const vocabularies = g2pVocabularies(data.train);
const { graphemes, phonemes } = vocabularies;
const words = (examples: readonly G2PExample[]) =>
  examples.map((e) => {
    const word = e.graphemes.join('');
    return { word, source: graphemes.encode(word).ids, refs: e.references.map((r) => r.join(' ')) };
  });
const spread = <T>(xs: readonly T[], n: number): T[] => Array.from({ length: Math.min(n, xs.length) }, (_, i) => xs[Math.floor((i * xs.length) / Math.min(n, xs.length))]!);
const targetVocab = tokenizerVocabSize(phonemes);
const targetTokens = Array.from({ length: targetVocab }, (_, id) => phonemes.idToToken(id) ?? '<unk>');
writeFileSync(
  out,
  JSON.stringify({
    train: g2pPairs(data.train, { source: graphemes, target: phonemes }),
    validation: spread(words(data.validation), 2000), // as heed train g2p's --validation-words 2000
    test: words(data.test),
    sourceVocab: tokenizerVocabSize(graphemes),
    targetTokens,
  }),
);
console.log(`wrote ${out}: ${data.train.length} training words, ${targetVocab} phoneme ids`);
