// The shipped sentiment BERTs (#27): a BERT MLM-pretrained by PyTorch (scripts/pretrain), fine-tuned by heed,
// shipped in Hugging Face layout (float16). They must reproduce the accuracy their results.json records, on the
// same splits `heed eval` scores, and give PyTorch's logits on the shipped files.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@heed/backends';
import { BertNormalizer, BertPreTokenizer, BertProcessing, Tokenizer, WordPiece } from '@heed/tokenizers';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSentimentNode } from '../data/text/load-sentiment-node';
import { sentimentCrossDomain, sentimentDataset } from '../data/text/sentiment-dataset';
import { HfTextClassifier } from './hf-text-classifier';
import { loadPretrained, pretrainedPath, readPretrainedResults } from './load-pretrained-node';
import { PRETRAINED_HF_FILES, PRETRAINED_MODELS } from './pretrained-models';

const PYTHON = '/usr/bin/python3';
const torchMissing = spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status !== 0;
const HF_SCRIPTS = join(dirname(fileURLToPath(import.meta.url)), '../../scripts/hf');

beforeAll(() => initBackend({ backend: 'wasm' }));

const splits = async (name: 'sentiment-bert' | 'sentiment-cross-bert') => {
  const raw = await loadSentimentNode();
  if (name === 'sentiment-bert') return sentimentDataset(raw);
  const cross = sentimentCrossDomain(raw);
  return { test: cross.test, validation: cross.train.filter((_, index) => index % 20 === 0) };
};

describe.each(['sentiment-bert', 'sentiment-cross-bert'] as const)('shipped %s', (name) => {
  it('loadPretrained gives an HfTextClassifier that scores exactly the test and validation accuracy of its results.json, without leaking tensors', async () => {
    expect(PRETRAINED_MODELS[name].kind).toBe('hf-text');
    const classifier = await loadPretrained(name);
    expect(classifier).toBeInstanceOf(HfTextClassifier);
    expect(classifier.config.labels).toEqual(['negative', 'positive']);
    const results = await readPretrainedResults(name);
    const { test, validation } = await splits(name);
    const before = tf.memory().numTensors;
    const score = async (examples: readonly { text: string; label: number }[]) => {
      const predicted = await classifier.classify(examples.map((example) => example.text));
      return predicted.filter((label, index) => label === examples[index]!.label).length / examples.length;
    };
    expect(await score(test)).toBe(results.metrics.accuracy);
    expect(await score(validation)).toBe((results.validation as { accuracy: number }).accuracy);
    expect(tf.memory().numTensors).toBe(before);
    const why = await classifier.explain('The food was wonderful and the staff were friendly.');
    expect(why.tokens.length).toBe(why.weights.length);
    expect(why.tokens[0]).toBe('[cls]'.toUpperCase());
    classifier.dispose();
  }, 300_000);

  it('ships float16 weights with its tokenizer (lowercasing, as in pretraining) and the pretraining record', async () => {
    const folder = pretrainedPath(name);
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(folder)).sort()).toEqual(Object.values(PRETRAINED_HF_FILES).sort());
    const bytes = await readFile(join(folder, PRETRAINED_HF_FILES.weights));
    const header = JSON.parse(bytes.subarray(8, 8 + Number(bytes.readBigUInt64LE(0))).toString('utf8')) as Record<string, { dtype?: string }>;
    const dtypes = new Set(Object.entries(header).filter(([key]) => key !== '__metadata__').map(([, entry]) => entry.dtype));
    expect([...dtypes]).toEqual(['F16']);
    const classifier = await loadPretrained(name);
    expect(classifier.tokenizer.encode('GREAT Phone').input_ids).toEqual(classifier.tokenizer.encode('great phone').input_ids);
    classifier.dispose();
    const results = await readPretrainedResults(name);
    const pretraining = results.pretraining as { steps: number; tokens_seen: number; last_loss: number };
    expect(pretraining.steps).toBeGreaterThan(0);
    expect(pretraining.tokens_seen).toBeGreaterThan(0);
    expect(Number.isFinite(pretraining.last_loss)).toBe(true);
  }, 120_000);

  it('ships vocab.txt for the slow BertTokenizer: tokenizer.json\'s WordPiece vocabulary in id order, which tokenizes as tokenizer.json does', async () => {
    const folder = pretrainedPath(name);
    const tokenizerJson = JSON.parse(await readFile(join(folder, PRETRAINED_HF_FILES.tokenizer), 'utf8')) as { model: { type: string; vocab: Record<string, number>; unk_token: string } };
    const config = JSON.parse(await readFile(join(folder, PRETRAINED_HF_FILES.config), 'utf8')) as { vocab_size: number };
    const tokenizerConfig = JSON.parse(await readFile(join(folder, PRETRAINED_HF_FILES.tokenizerConfig), 'utf8')) as { do_lower_case: boolean; unk_token: string; cls_token: string; sep_token: string };
    const text = await readFile(join(folder, PRETRAINED_HF_FILES.vocab), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.slice(0, -1).split('\n');
    // Line i is token i: what transformers' load_vocab reads (one token a line, rstrip('\n'), ids by line).
    const byId = Object.entries(tokenizerJson.model.vocab).sort((a, b) => a[1] - b[1]);
    expect(tokenizerJson.model.type).toBe('WordPiece');
    expect(byId.map(([, id]) => id)).toEqual(byId.map((_, index) => index));
    expect(lines).toEqual(byId.map(([token]) => token));
    expect(lines).toHaveLength(config.vocab_size);
    // A BERT tokenizer built from vocab.txt and tokenizer_config.json alone, as BertTokenizer builds itself.
    const vocab = new Map(lines.map((token, id) => [token, id]));
    const id = (token: string) => vocab.get(token)!;
    const special = [tokenizerConfig.unk_token, tokenizerConfig.cls_token, tokenizerConfig.sep_token, '[PAD]', '[MASK]'];
    const fromVocabTxt = new Tokenizer({
      model: new WordPiece({ vocab, unkToken: tokenizerConfig.unk_token }),
      normalizer: new BertNormalizer({ lowercase: tokenizerConfig.do_lower_case }),
      preTokenizer: new BertPreTokenizer(),
      postProcessor: new BertProcessing({ cls: [tokenizerConfig.cls_token, id(tokenizerConfig.cls_token)], sep: [tokenizerConfig.sep_token, id(tokenizerConfig.sep_token)] }),
      addedTokens: special.map((content) => ({ id: id(content), content, special: true, normalized: false })),
    });
    const fromJson = Tokenizer.fromJSON(tokenizerJson);
    const { test } = await splits(name);
    const sentences = [
      'Not bad at all, I would watch it again.',
      'The CAFÉ\'s crème brûlée was unbelievably over-priced!!! 10/10 would NOT return :(',
      'antidisestablishmentarianism and pneumonoultramicroscopicsilicovolcanoconiosis',
      'Emoji 😀 and 日本語 text, tabs\tand\nnewlines, [MASK] tokens.',
      ...test.slice(0, 100).map((example) => example.text),
    ];
    let unknown = 0;
    for (const sentence of sentences) {
      const expected = fromJson.encode(sentence).ids;
      expect(fromVocabTxt.encode(sentence).ids, sentence).toEqual(expected);
      unknown += expected.filter((token) => token === id(tokenizerConfig.unk_token)).length;
    }
    expect(unknown).toBeGreaterThan(0); // the emoji: [UNK] is exercised too
  });

  it.skipIf(torchMissing)('heed gives the logits of PyTorch\'s BertForSequenceClassification (hf_reference.py) on the shipped files', async () => {
    const classifier = await loadPretrained(name);
    const texts = ['not bad at all, i would watch it again.', 'the worst phone i ever bought.'];
    const batch = classifier.tokenizer.encode(texts, { maxLength: classifier.config.maxLength });
    const inputs = classifier.tokenizer.toTensors(batch);
    const logits = tf.tidy(() => classifier.model.forward(inputs).logits!);
    const heed = Array.from(await logits.data());
    tf.dispose([logits, ...Object.values(inputs)]);
    classifier.dispose();
    const script = `
import json, sys, torch
sys.path.insert(0, ${JSON.stringify(HF_SCRIPTS)})
import hf_reference as ref
from safetensors_io import load_file
folder = ${JSON.stringify(pretrainedPath(name))}
config = json.load(open(folder + '/config.json'))
model = ref.BertForSequenceClassification(config)
state = {k: v.float() for k, v in load_file(folder + '/model.safetensors').items()}
missing, unexpected = model.load_state_dict(state, strict=False)
assert not [m for m in missing if not m.endswith('position_ids')] and not unexpected, (missing, unexpected)
model.eval()
ids = torch.tensor(${JSON.stringify(batch.input_ids)}); mask = torch.tensor(${JSON.stringify(batch.attention_mask)})
with torch.no_grad():
    print(json.dumps(model(ids, mask)['logits'].flatten().tolist()))
`;
    const torch = JSON.parse(execFileSync(PYTHON, ['-c', script], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } })) as number[];
    expect(torch).toHaveLength(heed.length);
    torch.forEach((value, index) => expect(Math.abs(value - heed[index]!)).toBeLessThan(1e-4));
  }, 120_000);
});
