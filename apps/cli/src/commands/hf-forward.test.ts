// heed hf forward on the PyTorch-written fixture checkpoints: every output line equals the PyTorch
// reference (reference.json, written by packages/models/scripts/hf/make_hf_fixtures.py) for
// input_ids, text (through tokenizer.json), text pairs and pixel_values lines, from a folder and
// from a local server laid out like the Hub; complete on a pipe; bad lines are clear errors.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HF_FIXTURES, runHeed, startHubServer, type HubServer } from '../__fixtures__/hub-server';

interface Recorded { data: number[]; shape: number[] }
interface Reference {
  inputs: Record<string, number[][] | number[][][][]>;
  outputs: { last_hidden_state: Recorded; logits?: Recorded; hidden_states: Recorded[]; attentions: Recorded[] };
}
const reference = (name: string) => JSON.parse(readFileSync(join(HF_FIXTURES, name, 'reference.json'), 'utf8')) as Reference;
const dir = mkdtempSync(join(tmpdir(), 'heed-hf-forward-'));
const input = (name: string, lines: readonly unknown[]) => {
  const path = join(dir, `${name}.jsonl`);
  writeFileSync(path, `${lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n')}\n`);
  return path;
};

/** Row `row` of a recorded `(batch, …)` tensor as nested arrays, cut to `keep` along each token axis. */
function rowOf(recorded: Recorded, row: number, tokenAxes: number[] = [], keep = Infinity): unknown {
  const [, ...shape] = recorded.shape;
  const size = shape.reduce((a, b) => a * b, 1);
  const flat = recorded.data.slice(row * size, (row + 1) * size);
  const build = (axis: number, offset: number): unknown => {
    const stride = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
    const length = tokenAxes.includes(axis) ? Math.min(keep, shape[axis]!) : shape[axis]!;
    return Array.from({ length }, (_, index) => (axis === shape.length - 1 ? flat[offset + index] : build(axis + 1, offset + index * stride)));
  };
  return build(0, 0);
}

/** Element-wise |a − b| ≤ atol over nested arrays of the same shape. */
function expectNestedClose(actual: unknown, expected: unknown, atol: number, path = ''): void {
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), `${path} is an array`).toBe(true);
    expect((actual as unknown[]).length, `${path} length`).toBe(expected.length);
    expected.forEach((value, index) => expectNestedClose((actual as unknown[])[index], value, atol, `${path}[${index}]`));
    return;
  }
  if (Math.abs((actual as number) - (expected as number)) > atol) expect(actual, path).toBeCloseTo(expected as number, 5);
}

let hub: HubServer;
beforeAll(async () => {
  hub = await startHubServer();
});
afterAll(() => hub.close());

describe('heed hf forward', () => {
  it('bert-seq-cls-f32: input_ids, text and text-pair lines give PyTorch\'s logits and attentions [layer][head][query][key]', async () => {
    const ref = reference('bert-seq-cls-f32');
    const ids = ref.inputs.input_ids as number[][];
    const mask = ref.inputs.attention_mask as number[][];
    const types = ref.inputs.token_type_ids as number[][];
    const real = mask[1]!.reduce((a, b) => a + b, 0);
    const path = input('bert', [
      { input_ids: ids[0], attention_mask: mask[0], token_type_ids: types[0] },
      { input_ids: ids[1], attention_mask: mask[1], token_type_ids: types[1] },
      '',
      { text: 'This film was not very good.' },
      { text: 'Hello, my dog is cute', text_pair: 'the cat sat' },
    ]);
    const result = await runHeed(['hf', 'forward', join(HF_FIXTURES, 'bert-seq-cls-f32'), '--input', path, '--attentions', '--json']);
    expect(result.status, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { logits: number[]; attentions: number[][][][] });
    expect(lines).toHaveLength(4);
    for (const [line, row] of [[0, 0], [1, 1], [2, 1], [3, 0]] as const) {
      expect(Object.keys(lines[line]!).sort()).toEqual(['attentions', 'logits']);
      expectNestedClose(lines[line]!.logits, rowOf(ref.outputs.logits!, row), 1e-5, `line ${line} logits`);
    }
    // Full (padded) rows: every key; the unpadded text: its real tokens (padded keys get weight 0).
    lines[0]!.attentions.forEach((layer, index) => expectNestedClose(layer, rowOf(ref.outputs.attentions[index]!, 0), 1e-5, `attentions[${index}]`));
    lines[2]!.attentions.forEach((layer, index) => expectNestedClose(layer, rowOf(ref.outputs.attentions[index]!, 1, [1, 2], real), 1e-5, `text attentions[${index}]`));
    expect(lines[2]!.attentions[0]![0]).toHaveLength(real);
  });

  it.each([
    ['bert-mlm-f16', 'logits'],
    ['bert-base-bf16', 'last_hidden_state'],
    ['roberta-seq-cls-f32', 'logits'],
    ['distilbert-seq-cls-f32', 'logits'],
  ])('%s: %s and --hidden-states equal PyTorch for each input_ids line', async (name, key) => {
    const ref = reference(name);
    const ids = ref.inputs.input_ids as number[][];
    const mask = ref.inputs.attention_mask as number[][];
    const types = ref.inputs.token_type_ids as number[][] | undefined;
    const path = input(name, ids.map((row, index) => ({ input_ids: row, attention_mask: mask[index], ...(types ? { token_type_ids: types[index] } : {}) })));
    const result = await runHeed(['hf', 'forward', join(HF_FIXTURES, name), '--input', path, '--hidden-states', '--json']);
    expect(result.status, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    lines.forEach((line, row) => {
      expect(Object.keys(line).sort()).toEqual([key, 'hidden_states'].sort());
      const recorded = key === 'logits' ? ref.outputs.logits! : ref.outputs.last_hidden_state;
      expectNestedClose(line[key], rowOf(recorded, row), 1e-4, `${name} ${key}[${row}]`);
      (line.hidden_states as unknown[]).forEach((state, layer) => expectNestedClose(state, rowOf(ref.outputs.hidden_states[layer]!, row), 1e-4, `hidden_states[${layer}]`));
    });
  });

  it('vit-image-cls-f32: pixel_values lines give PyTorch\'s logits and attentions; from a Hub-layout URL too', async () => {
    const ref = reference('vit-image-cls-f32');
    const pixels = ref.inputs.pixel_values as number[][][][];
    const path = input('vit', pixels.map((image) => ({ pixel_values: image })));
    for (const location of [join(HF_FIXTURES, 'vit-image-cls-f32'), hub.base('vit-image-cls-f32')]) {
      const result = await runHeed(['hf', 'forward', location, '--input', path, '--attentions', '--json']);
      expect(result.status, result.stderr).toBe(0);
      const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { logits: number[]; attentions: unknown[] });
      expect(lines).toHaveLength(2);
      lines.forEach((line, row) => {
        expectNestedClose(line.logits, rowOf(ref.outputs.logits!, row), 1e-5, `logits[${row}]`);
        line.attentions.forEach((layer, index) => expectNestedClose(layer, rowOf(ref.outputs.attentions[index]!, row), 1e-5, `attentions[${index}]`));
      });
    }
  });

  it('prints every line on a pipe (600 lines with attentions and hidden states, several MB), then exits', async () => {
    const ref = reference('bert-seq-cls-f32');
    const line = { input_ids: (ref.inputs.input_ids as number[][])[0], attention_mask: (ref.inputs.attention_mask as number[][])[0] };
    const path = input('many', new Array(600).fill(line));
    const result = await runHeed(['hf', 'forward', join(HF_FIXTURES, 'bert-seq-cls-f32'), '--input', path, '--attentions', '--hidden-states', '--json'], { maxBuffer: 256 * 1024 * 1024 });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.length).toBeGreaterThan(3_000_000);
    const lines = result.stdout.split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1).map((text) => JSON.parse(text) as unknown)).toHaveLength(600);
  });

  it('bad input: text without a tokenizer, unknown ids, wrong image size, bad JSON, an unreachable URL', async () => {
    const cases: Array<[string, unknown[], RegExp]> = [
      ['roberta-seq-cls-f32', [{ text: 'hello' }], /--input .*text\.jsonl:1: \{"text"\} needs a tokenizer, but .*roberta-seq-cls-f32 has no tokenizer\.json; give \{"input_ids": \[\.\.\.\]\} instead/],
      ['bert-seq-cls-f32', [{ input_ids: [2, 5, 99] }], /text\.jsonl:1: input_ids\[2\] = 99 is outside the vocabulary \(0 ≤ id < vocab_size 40\)/],
      ['bert-seq-cls-f32', [{ input_ids: [2, 5, 3], attention_mask: [1, 1] }], /attention_mask must be 3 integers \(one per input id\)/],
      ['bert-seq-cls-f32', ['{"input_ids": [2, 3]}', 'not json'], /text\.jsonl:2: expected a JSON object per line, got not json/],
      ['vit-image-cls-f32', [{ pixel_values: [[[0, 0], [0, 0]], [[0, 0], [0, 0]], [[0, 0], [0, 0]]] }], /pixel_values is 3 × 2 × 2; expected 3 × 16 × 16 \(channels × height × width/],
      ['vit-image-cls-f32', [{ input_ids: [1, 2] }], /is a ViT image model: expected \{"pixel_values"/],
    ];
    for (const [name, lines, message] of cases) {
      const result = await runHeed(['hf', 'forward', join(HF_FIXTURES, name), '--input', input('text', lines), '--json']);
      expect(result.status, `${name} ${JSON.stringify(lines)}`).toBe(1);
      expect(result.stderr).toMatch(message);
    }
    const missing = await runHeed(['hf', 'forward', hub.base('no-such-model'), '--input', input('text', [{ input_ids: [1] }]), '--json']);
    expect(missing.stderr.trim()).toBe(`${hub.base('no-such-model')}/config.json: HTTP 404 Not Found`);
    const noInput = await runHeed(['hf', 'forward', join(HF_FIXTURES, 'bert-seq-cls-f32'), '--json']);
    expect(noInput.stderr).toContain('heed hf forward: --input <file.jsonl> is required');
    const unreadable = await runHeed(['hf', 'forward', join(HF_FIXTURES, 'bert-seq-cls-f32'), '--input', join(dir, 'none.jsonl')]);
    expect(unreadable.stderr).toContain(`heed hf forward: --input ${join(dir, 'none.jsonl')}: cannot read it (ENOENT)`);
  });
});
