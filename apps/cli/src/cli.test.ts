import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const run = (...args: string[]) => execFileSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

describe('heed info', () => {
  it('reports the backend it picked and every backend it tried', () => {
    const report = JSON.parse(run('info', '--json'));
    // In Node without a hardware GPU heed settles on wasm with SIMD and the matmul override.
    expect(['wasm', 'webgpu']).toContain(report.name);
    if (report.name === 'wasm') {
      expect(report.simd).toBe(true);
      expect(report.threads).toBe(false);
      expect(report.kernelOverrides).toContain('BatchMatMul');
      // the CLI turns on Node 20's relaxed-SIMD flag for itself, so the FMA kernels run
      expect(report.simdKernels).toMatchObject({ build: 'relaxed' });
      expect(report.simdKernels.threads).toBeGreaterThanOrEqual(1);
    }
    expect(report.available.map((attempt: { name: string }) => attempt.name)).toEqual(['webgpu', 'wasm', 'cpu']);
    expect(report.tried.at(-1).ok).toBe(true);
  });

  it('prints a readable table', () => {
    const text = run('info', '--backend', 'cpu');
    expect(text).toMatch(/^heed backend: cpu/);
    expect(text).toContain('backends available here:');
  });

  it('says which heed kernel build runs, and runs the plain one when HEED_SIMD_BUILD=plain', () => {
    expect(run('info', '--backend', 'wasm')).toMatch(/heed kernels: relaxed SIMD \(fused multiply-add\), \d+ threads?/);
    const plain = execFileSync(process.execPath, [cli, 'info', '--backend', 'wasm'], { encoding: 'utf8', env: { ...process.env, HEED_SIMD_BUILD: 'plain' } });
    expect(plain).toContain('heed kernels: plain SIMD, ');
    expect(plain).toContain('the plain build was asked for');
  });

  it("prints a clean report: the WebGPU runtime's native warnings appear only with --verbose", () => {
    const quiet = spawnSync(process.execPath, [cli, 'info'], { encoding: 'utf8' });
    expect(quiet.status).toBe(0);
    expect(quiet.stdout).toMatch(/^heed backend: /);
    expect(quiet.stderr).toBe('');
    const verbose = spawnSync(process.execPath, [cli, 'info', '--verbose'], { encoding: 'utf8' });
    expect(verbose.status).toBe(0);
    expect(verbose.stdout).toBe(quiet.stdout);
    // Here Dawn (the webgpu package) finds Mesa and warns about Vulkan and limits while it looks.
    if (/✓ webgpu/.test(quiet.stdout)) expect(verbose.stderr).toMatch(/messages of the backends' native runtimes \(Dawn for WebGPU\)[^]*Warning: /);
    expect(spawnSync(process.execPath, [cli, 'info', '--frobnicate'], { encoding: 'utf8' }).stderr).toMatch(/heed info: unknown argument "--frobnicate"/);
  });

  it('names the bad argument', () => {
    expect(() => execFileSync(process.execPath, [cli, 'info', '--backend', 'tpu'], { encoding: 'utf8', stdio: 'pipe' })).toThrow(
      /--backend must be one of webgpu, webgl, wasm, cpu; got "tpu"/,
    );
  });
});

/** Runs the CLI with stdout on a real pipe; reads nothing for `delayMs`, then everything, or only `firstChunkOnly` and closes the pipe. */
function throughPipe(args: string[], options: { delayMs?: number; firstChunkOnly?: boolean } = {}): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.stdout.pause();
    setTimeout(() => {
      child.stdout.on('data', (chunk: Buffer) => {
        out.push(chunk);
        if (options.firstChunkOnly) child.stdout.destroy(); // as `| head -1` does
      });
      child.stdout.resume();
    }, options.delayMs ?? 0);
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code }));
  });
}

describe('output on a pipe', () => {
  // 1,500 made-up words: syllables of 3 × 12 kinds (the shipped alphabet), all distinct.
  const syllables = ['ba', 'con', 'ter', 'mi', 'lo', 'sta', 'ren', 'dis', 'pho', 'ne', 'tic', 'ar'];
  const words = Array.from({ length: 1500 }, (_, i) => syllables[i % 12]! + syllables[Math.floor(i / 12) % 12]! + syllables[Math.floor(i / 144) % 12]!);
  const input = join(mkdtempSync(join(tmpdir(), 'heed-pipe-')), 'words.txt');
  writeFileSync(input, `${words.join('\n')}\n`);

  it('predict g2p --json of 1,500 words arrives whole (hundreds of KiB) to a reader that starts late', async () => {
    const result = await throughPipe(['predict', 'g2p', '--beam', '1', '--input', input, '--json'], { delayMs: 1500 });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.length).toBeGreaterThan(4 * 65_536);
    const predictions = JSON.parse(result.stdout) as Array<{ word: string }>;
    expect(predictions.map((prediction) => prediction.word)).toEqual(words);
  }, 120_000);

  it('ends quietly with status 0 when the reader stops early (| head)', async () => {
    const result = await throughPipe(['predict', 'g2p', '--beam', '1', '--input', input], { firstChunkOnly: true });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^bababa\t/);
  }, 120_000);
});
