import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Tokenizer } from '@heed/tokenizers';
import { describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const heed = (...args: string[]) => spawnSync(process.execPath, [cli, 'tokenize', ...args], { encoding: 'utf8' });
const dir = mkdtempSync(join(tmpdir(), 'heed-tokenize-'));

const bpeJSON = {
  version: '1.0',
  added_tokens: [{ id: 0, content: '<s>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }],
  normalizer: null,
  pre_tokenizer: { type: 'WhitespaceSplit' },
  post_processor: { type: 'TemplateProcessing', single: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }], pair: [], special_tokens: { '<s>': { id: '<s>', ids: [0], tokens: ['<s>'] } } },
  decoder: null,
  model: { type: 'BPE', dropout: null, unk_token: '<unk>', continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: false, byte_fallback: false, vocab: { '<s>': 0, '<unk>': 1, a: 2, b: 3, ab: 4 }, merges: [['a', 'b']] },
};
const jsonPath = join(dir, 'tokenizer.json');
writeFileSync(jsonPath, JSON.stringify(bpeJSON));
const reference = Tokenizer.fromJSON(bpeJSON);

describe('heed tokenize', () => {
  it('prints one JSON line {ids, tokens} per text argument and --input line, without special tokens', () => {
    const input = join(dir, 'texts.jsonl');
    writeFileSync(input, `${JSON.stringify({ text: 'ab ba' })}\n\n${JSON.stringify({ text: 'x ab' })}\n`);
    const result = heed('--tokenizer', jsonPath, '--json', '--input', input, 'aab');
    expect(result.status, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { ids: number[]; tokens: string[] });
    expect(lines).toEqual(['aab', 'ab ba', 'x ab'].map((text) => {
      const { ids, tokens } = reference.encode(text, { addSpecialTokens: false });
      return { ids, tokens };
    }));
    expect(lines[0]).toEqual({ ids: [2, 4], tokens: ['a', 'ab'] });
  });

  it('adds special tokens only with --add-special-tokens, and prints ids<TAB>tokens without --json', () => {
    expect(heed('--tokenizer', jsonPath, 'ab').stdout).toBe('4\tab\n');
    expect(heed('--tokenizer', jsonPath, '--add-special-tokens', 'ab').stdout).toBe('0 4\t<s> ab\n');
  });

  it('--save-json writes a tokenizer.json that loads to the same tokenizer', () => {
    const out = join(dir, 'saved.json');
    expect(heed('--tokenizer', jsonPath, '--save-json', out).status).toBe(0);
    expect(Tokenizer.fromJSON(JSON.parse(readFileSync(out, 'utf8'))).toJSON()).toEqual(reference.toJSON());
  });

  it('names the file and the part on bad input', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...bpeJSON, normalizer: { type: 'Nope' } }));
    const result = heed('--tokenizer', bad, 'x');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(bad);
    expect(result.stderr).toMatch(/normalizer\.type: unsupported type string "Nope"/);
    const lines = join(dir, 'lines.jsonl');
    writeFileSync(lines, '{"text": "ok"}\nnot json\n');
    expect(heed('--tokenizer', jsonPath, '--input', lines).stderr).toContain(`${lines}:2`);
    expect(heed('--tokenizer', join(dir, 'missing.json')).stderr).toMatch(/missing\.json: cannot read it \(ENOENT\)/);
  });

  it('streams long outputs through a pipe completely', () => {
    const texts = Array.from({ length: 20_000 }, (_, index) => `ab ${index % 7 === 0 ? 'ba' : 'ab'}`);
    const input = join(dir, 'many.jsonl');
    writeFileSync(input, texts.map((text) => JSON.stringify({ text })).join('\n'));
    const stdout = execFileSync(process.execPath, [cli, 'tokenize', '--tokenizer', jsonPath, '--json', '--input', input], { encoding: 'utf8', maxBuffer: 1 << 26 });
    expect(stdout.trim().split('\n').length).toBe(20_000);
  });
});

describe('heed tokenize with a SentencePiece .model', () => {
  const fixtures = fileURLToPath(new URL('../../../../packages/tokenizers/src/__fixtures__/sentencepiece/', import.meta.url));
  const spm = JSON.parse(readFileSync(join(fixtures, 'sentencepiece.json'), 'utf8')) as { texts: string[]; configs: Array<{ name: string; ids: number[][]; withSpecialTokens: number[][] }> };

  it.each(['unigram-nfkc-bytes', 'bpe-nmt-nfkc'])('%s: sentencepiece\'s ids for every line, bos/eos only with --add-special-tokens', (name) => {
    const fixture = spm.configs.find((config) => config.name === name)!;
    const input = join(dir, `${name}.jsonl`);
    writeFileSync(input, spm.texts.map((text) => JSON.stringify({ text })).join('\n'));
    const model = join(fixtures, `${name}.model`);
    const result = heed('--tokenizer', model, '--json', '--input', input);
    expect(result.status, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { ids: number[] });
    expect(lines.map((line) => line.ids)).toEqual(fixture.ids);
    const special = heed('--tokenizer', model, '--json', '--add-special-tokens', spm.texts[0]!);
    expect((JSON.parse(special.stdout) as { ids: number[] }).ids).toEqual(fixture.withSpecialTokens[0]);
  });

  it('--save-json writes the converted tokenizer.json, which loads and gives the same ids', () => {
    const out = join(dir, 'converted.json');
    const model = join(fixtures, 'unigram-nmt-nfkc.model');
    expect(heed('--tokenizer', model, '--save-json', out).status).toBe(0);
    const converted = Tokenizer.fromJSON(JSON.parse(readFileSync(out, 'utf8')));
    const fixture = spm.configs.find((config) => config.name === 'unigram-nmt-nfkc')!;
    spm.texts.forEach((text, index) => expect(converted.encode(text, { addSpecialTokens: false }).ids).toEqual(fixture.ids[index]));
  });

  it('a truncated or corrupt .model is an error naming the file and the part', () => {
    const bytes = readFileSync(join(fixtures, 'bpe-identity-raw.model'));
    const truncated = join(dir, 'truncated.model');
    writeFileSync(truncated, bytes.subarray(0, bytes.length - 7));
    const result = heed('--tokenizer', truncated, 'x');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^heed tokenize: --tokenizer ${truncated}: (ModelProto|normalizer_spec|trainer_spec)`));
  });
});
