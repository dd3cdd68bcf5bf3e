// Encode throughput of heed vs @huggingface/tokenizers on the same sentences and vocabularies,
// after checking both give identical ids. Writes the tokenizers section of BENCHMARKS.md.
import { cpus, loadavg } from 'node:os';
import { Tokenizer as ReferenceTokenizer } from '@huggingface/tokenizers';
import { Bench } from 'tinybench';
// @ts-expect-error plain JS helper shared by every package's bench
import { writeBenchmarkSection } from '../../../tooling/scripts/benchmarks-md.mjs';
import { Tokenizer } from '../src/index';
import { bertBaseUncasedJSON, gpt2JSON, realSentences, REFERENCE_CONFIG } from '../src/__fixtures__/pretrained';
import { comparableWithReference } from '../src/__fixtures__/reference-differences';

const WARM_SENTENCES = 2_000; // encoded again and again (word caches warm)
const ROUNDS = 5;
const COLD_ROUNDS = 3;
const COLD_SENTENCES = 20_000; // encoded once by a freshly loaded tokenizer

// Sentences on which the JS reference knowingly differs from Hugging Face's Rust library are left out.
const sentences = realSentences(WARM_SENTENCES + COLD_SENTENCES + 100).filter(comparableWithReference).slice(0, WARM_SENTENCES + COLD_SENTENCES);
const warm = sentences.slice(0, WARM_SENTENCES);
const cold = sentences.slice(WARM_SENTENCES);
const megabytes = (texts: string[]): number => texts.reduce((sum, text) => sum + new TextEncoder().encode(text).length, 0) / 1e6;
const warmMB = megabytes(warm);
const coldMB = megabytes(cold);

interface Row {
  name: string;
  heedWarm: number;
  referenceWarm: number;
  heedCold: number;
  referenceCold: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * Process CPU time in milliseconds. This machine is shared by several busy processes, so wall
 * time mostly measures waiting for a core; CPU time measures the work each library does.
 */
function cpuNow(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

function coldPass(encode: (text: string) => unknown): number {
  const start = cpuNow();
  for (const text of cold) encode(text);
  return coldMB / ((cpuNow() - start) / 1000);
}

async function measure(name: string, json: Record<string, unknown>): Promise<Row> {
  const heed = Tokenizer.fromJSON(json);
  const reference = new ReferenceTokenizer(json, REFERENCE_CONFIG);
  for (const text of sentences) {
    const expected = reference.encode(text).ids;
    const actual = heed.encode(text).ids;
    if (expected.length !== actual.length || expected.some((id, index) => id !== actual[index])) {
      throw new Error(`${name}: outputs differ on ${JSON.stringify(text)}; refusing to compare speed`);
    }
  }
  // Cold: a freshly loaded tokenizer per pass (empty word caches), alternating libraries.
  const cold: Record<'heed' | 'reference', number[]> = { heed: [], reference: [] };
  for (let round = 0; round < COLD_ROUNDS; round++) {
    const freshHeed = Tokenizer.fromJSON(json);
    const freshReference = new ReferenceTokenizer(json, REFERENCE_CONFIG);
    const passes: Array<() => void> = [
      () => cold.heed.push(coldPass((text) => freshHeed.encode(text))),
      () => cold.reference.push(coldPass((text) => freshReference.encode(text))),
    ];
    for (const pass of round % 2 === 0 ? passes : passes.reverse()) pass();
  }
  const row: Row = { name, heedWarm: 0, referenceWarm: 0, heedCold: median(cold.heed), referenceCold: median(cold.reference) };
  // Several short tinybench rounds, alternating which library goes first, so that load from other
  // processes on a shared machine hits both alike; the median of the rounds' medians is reported.
  const samples: Record<'heed' | 'reference', number[]> = { heed: [], reference: [] };
  for (let round = 0; round < ROUNDS; round++) {
    const bench = new Bench({ time: 1000, warmupTime: 200, now: cpuNow });
    const tasks: Array<['heed' | 'reference', () => void]> = [
      ['heed', () => warm.forEach((text) => heed.encode(text))],
      ['reference', () => warm.forEach((text) => reference.encode(text))],
    ];
    for (const [name, run] of round % 2 === 0 ? tasks : tasks.reverse()) bench.add(name, run);
    await bench.run();
    for (const task of bench.tasks) {
      const result = task.result as { latency?: { p50?: number }; error?: Error };
      if (result.latency?.p50 === undefined) throw new Error(`bench ${task.name} failed: ${result.error?.message ?? 'no result'}`);
      samples[task.name as 'heed' | 'reference'].push(warmMB / (result.latency.p50 / 1000));
    }
  }
  row.heedWarm = median(samples.heed);
  row.referenceWarm = median(samples.reference);
  return row;
}

const rows = [await measure('bert-base-uncased (WordPiece)', bertBaseUncasedJSON()), await measure('GPT-2 (byte-level BPE)', gpt2JSON())];
const format = (value: number): string => value.toFixed(2);
const table = rows
  .map(
    (row) =>
      `| ${row.name} | ${format(row.heedWarm)} | ${format(row.referenceWarm)} | **${format(row.heedWarm / row.referenceWarm)}x** | ${format(row.heedCold)} | ${format(row.referenceCold)} | **${format(row.heedCold / row.referenceCold)}x** |`,
  )
  .join('\n');
const markdown = `## tokenizers

Encode throughput (MB of UTF-8 input per CPU-second of the process, one sentence per \`encode\`
call, single thread; CPU time rather than wall time because the machine is shared) of
\`@heed/tokenizers\` vs the pure-JS reference \`@huggingface/tokenizers\` 0.2.0, same tokenizer.json and
sentences (UCI sentiment + nlp-corpus); both were checked to give identical ids on all
${sentences.length.toLocaleString('en-US')} sentences before timing.
*Warm*: ${WARM_SENTENCES.toLocaleString('en-US')} sentences (${warmMB.toFixed(2)} MB) encoded repeatedly (tinybench: median of
${ROUNDS} rounds' medians, alternating which library runs first);
*cold*: one pass of a freshly loaded tokenizer over ${COLD_SENTENCES.toLocaleString('en-US')} other sentences (${coldMB.toFixed(2)} MB), median of ${COLD_ROUNDS}.

| tokenizer | heed warm | reference warm | ratio | heed cold | reference cold | ratio |
|---|---|---|---|---|---|---|
${table}

Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}; ${new Date().toISOString().slice(0, 10)};
load average ${loadavg()[0]!.toFixed(1)} at the end.
`;
console.log(markdown);
writeBenchmarkSection('tokenizers', markdown);
