// Encode throughput of heed vs @huggingface/tokenizers (pure JS) vs sentencepiece (native, through
// Debian's python3-sentencepiece) on the same sentences and SentencePiece models, after checking
// that all three give identical ids. Writes the tokenizers-sentencepiece section of BENCHMARKS.md.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Tokenizer as ReferenceTokenizer } from '@huggingface/tokenizers';
// @ts-expect-error plain JS helper shared by every package's bench
import { writeBenchmarkSection } from '../../../tooling/scripts/benchmarks-md.mjs';
import { sentencePieceToTokenizerJSON, Tokenizer } from '../src/index';
import { realSentences } from '../src/__fixtures__/pretrained';

const MODELS = ['unigram-nmt-nfkc', 'bpe-nmt-nfkc', 'unigram-nfkc-bytes'];
const SENTENCES = 8_000;
const ROUNDS = 5;
const fixtures = fileURLToPath(new URL('../src/__fixtures__/sentencepiece/', import.meta.url));
const candidates = realSentences(20_000 + SENTENCES).slice(20_000); // nlp-corpus sentences past the training documents
const megabytes = (texts: string[]): number => texts.reduce((sum, text) => sum + new TextEncoder().encode(text).length, 0) / 1e6;
const cpuNow = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const same = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((id, index) => id === b[index]);

/** sentencepiece's ids and CPU seconds: one encode() per sentence, and one call on the whole list. */
function sentencepiece(model: string, texts: string[]): { ids: number[][]; loop: number; batch: number } {
  const dir = mkdtempSync(join(tmpdir(), 'heed-spm-bench-'));
  writeFileSync(join(dir, 'texts.json'), JSON.stringify(texts));
  const script = `
import json, sys, time, sentencepiece as spm
sp = spm.SentencePieceProcessor(model_file=sys.argv[1])
texts = json.load(open(sys.argv[2], encoding='utf8'))
ids = sp.encode(texts)
loop, batch = [], []
for _ in range(${ROUNDS}):
    start = time.process_time()
    for text in texts: sp.encode(text)
    loop.append(time.process_time() - start)
    start = time.process_time()
    sp.encode(texts)
    batch.append(time.process_time() - start)
print(json.dumps({'ids': ids, 'loop': sorted(loop)[len(loop) // 2], 'batch': sorted(batch)[len(batch) // 2]}))
`;
  const output = execFileSync('/usr/bin/python3', ['-c', script, join(fixtures, `${model}.model`), join(dir, 'texts.json')], { encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, OMP_NUM_THREADS: '1' } });
  return JSON.parse(output) as { ids: number[][]; loop: number; batch: number };
}

const rows: string[] = [];
let compared = 0;
for (const name of MODELS) {
  const json = sentencePieceToTokenizerJSON(new Uint8Array(readFileSync(join(fixtures, `${name}.model`))), name);
  const heed = Tokenizer.fromJSON(json);
  const reference = new ReferenceTokenizer(json as never, {});
  const encodeHeed = (text: string) => heed.encode(text, { addSpecialTokens: false }).ids;
  const encodeReference = (text: string) => reference.encode(text, { add_special_tokens: false } as never).ids;
  // The reference approximates Precompiled and lacks Unigram byte fallback: time the sentences where it is exact.
  const texts = candidates.filter((text) => same(encodeHeed(text), encodeReference(text)));
  let spm: ReturnType<typeof sentencepiece> | null = null;
  try {
    spm = sentencepiece(name, texts);
  } catch (error) {
    console.warn(`sentencepiece columns left out: /usr/bin/python3 with python3-sentencepiece is needed (${(error as Error).message.split('\n')[0]})`);
  }
  texts.forEach((text, index) => {
    if (spm !== null && !same(encodeHeed(text), spm.ids[index]!)) throw new Error(`${name}: heed and sentencepiece differ on ${JSON.stringify(text)}; refusing to compare speed`);
  });
  compared = texts.length;
  const mb = megabytes(texts);
  const cold = { heed: [] as number[], reference: [] as number[] };
  const warm = { heed: [] as number[], reference: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    // cold: freshly loaded tokenizers (empty caches), one pass; warm: a second pass
    const fresh = { heed: Tokenizer.fromJSON(json), reference: new ReferenceTokenizer(json as never, {}) };
    const passes: Array<['heed' | 'reference', (text: string) => unknown]> = [
      ['heed', (text) => fresh.heed.encode(text, { addSpecialTokens: false })],
      ['reference', (text) => fresh.reference.encode(text, { add_special_tokens: false } as never)],
    ];
    for (const [library, encode] of round % 2 === 0 ? passes : passes.reverse()) {
      for (const target of [cold, warm]) {
        const start = cpuNow();
        for (const text of texts) encode(text);
        target[library].push(mb / ((cpuNow() - start) / 1000));
      }
    }
  }
  const f = (value: number): string => value.toFixed(2);
  const [hw, rw, hc, rc] = [median(warm.heed), median(warm.reference), median(cold.heed), median(cold.reference)];
  rows.push(`| ${name} | ${f(hw)} | ${f(rw)} | **${f(hw / rw)}x** | ${f(hc)} | ${f(rc)} | **${f(hc / rc)}x** | ${spm === null ? 'n/a' : f(mb / spm.loop)} | ${spm === null ? 'n/a' : f(mb / spm.batch)} |`);
}

const markdown = `## tokenizers: SentencePiece models

Encode throughput (MB of UTF-8 per CPU-second, single thread) of \`@heed/tokenizers\` on the
tokenizer.json it converts from a SentencePiece \`.model\`, \`@huggingface/tokenizers\` 0.2.0 (pure JS)
on the same tokenizer.json, and sentencepiece 0.1.97 itself (native C++, through Debian's
python3-sentencepiece: one \`encode\` call per sentence, and one call on the whole list). Models:
the test fixtures (\`scripts/sentencepiece-fixtures.py\`); ${compared.toLocaleString('en-US')} nlp-corpus
sentences (of ${SENTENCES.toLocaleString('en-US')}; for each model, those on which the JS reference is exact),
checked to give identical ids in all three before timing. *Cold*: a freshly loaded tokenizer's
first pass (empty word caches); *warm*: its second pass; medians of ${ROUNDS} rounds, alternating
which JS library goes first. heed's Unigram tokenizes a sentence as one word (one Viterbi over the
whole text, as sentencepiece does), so its warm pass finds sentences under 256 characters in its
cache: compare cold numbers with sentencepiece. The machine was shared with other busy work (CPU time, not wall time,
is measured for that reason).

| model | heed warm | reference warm | ratio | heed cold | reference cold | ratio | sentencepiece loop | sentencepiece list |
|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}

Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}; ${new Date().toISOString().slice(0, 10)};
load average ${loadavg()[0]!.toFixed(1)} at the end.
`;
console.log(markdown);
writeBenchmarkSection('tokenizers-sentencepiece', markdown);
