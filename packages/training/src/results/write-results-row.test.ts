import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeResultsRow } from './write-results-row';

const table = { heading: '### Digits', tableHeader: '| model | accuracy |\n| --- | --- |' };

describe('writeResultsRow', () => {
  it('creates the file and the block, replaces a row by key, keeps other blocks and orders rows', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'heed-results-')), 'deep', 'RESULTS.md');
    await writeResultsRow(file, { block: 'vit', ...table, key: 'mnist', row: '| mnist | 97% |' });
    await writeResultsRow(file, { block: 'vit', ...table, key: 'digits', row: '| digits | 99% |' });
    await writeResultsRow(file, { block: 'vit', ...table, key: 'mnist', row: '| mnist | 98% |' });
    writeFileSync(file, `${readFileSync(file, 'utf8')}\nhand-written text\n`);
    await writeResultsRow(file, { block: 'text', ...table, key: 'spam', row: '| spam | 99% |' });
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('# Results\n')).toBe(true);
    expect(text).toContain(['<!-- results:vit:start -->', '### Digits', '', '| model | accuracy |', '| --- | --- |', '| digits | 99% | <!-- row:digits -->', '| mnist | 98% | <!-- row:mnist -->', '<!-- results:vit:end -->'].join('\n'));
    expect(text).not.toContain('97%');
    expect(text).toContain('hand-written text');
    expect(text).toContain('| spam | 99% | <!-- row:spam -->');
  });

  it('keys rows by their content and keeps a custom order when asked', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'heed-results-')), 'RESULTS.md');
    const keyed = { block: 'g2p', ...table, keyOf: (line: string) => /^\| (\w+) \| \d+% \|/.exec(line)?.[1], order: (keys: string[]) => [...keys].sort().reverse(), preamble: '# Mine\n' };
    await writeResultsRow(file, { ...keyed, key: 'a', row: '| a | 1% |' });
    await writeResultsRow(file, { ...keyed, key: 'b', row: '| b | 2% |' });
    await writeResultsRow(file, { ...keyed, key: 'a', row: '| a | 3% |' });
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('# Mine\n')).toBe(true);
    expect(text).toContain('| --- | --- |\n| b | 2% |\n| a | 3% |\n<!-- results:g2p:end -->');
    expect(text).not.toContain('<!-- row:'); // content-keyed rows carry no marker
  });
});
