import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const child = fileURLToPath(new URL('./__fixtures__/write-then-exit.ts', import.meta.url));

/** Runs the fixture with stdout on a real pipe that this process leaves unread for `delayMs`, then reads it all. */
function readSlowly(bytes: number, how: 'drained' | 'exit', delayMs = 400): Promise<{ stdout: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const process_ = spawn(process.execPath, ['--import', 'tsx', child, String(bytes), how], { stdio: ['ignore', 'pipe', 'inherit'] });
    const chunks: Buffer[] = [];
    process_.stdout.pause();
    setTimeout(() => {
      process_.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
      process_.stdout.resume();
    }, delayMs);
    process_.on('error', reject);
    process_.on('close', (code) => resolve({ stdout: Buffer.concat(chunks).toString('utf8'), code }));
  });
}

describe('exitWhenDrained', () => {
  it('delivers a 1 MB JSON line whole through a pipe whose reader is late, where process.exit() cuts it', async () => {
    const bytes = 1_000_000;
    const cut = await readSlowly(bytes, 'exit');
    expect(cut.stdout.length).toBeLessThan(bytes); // the defect: what did not fit the pipe's buffer is lost
    const whole = await readSlowly(bytes, 'drained');
    expect(whole.code).toBe(0);
    expect((JSON.parse(whole.stdout) as { filler: string }).filler).toHaveLength(bytes);
  }, 30_000);
});
