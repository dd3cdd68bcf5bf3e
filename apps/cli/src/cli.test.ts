import { execFileSync } from 'node:child_process';
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
    }
    expect(report.available.map((attempt: { name: string }) => attempt.name)).toEqual(['webgpu', 'wasm', 'cpu']);
    expect(report.tried.at(-1).ok).toBe(true);
  });

  it('prints a readable table', () => {
    const text = run('info', '--backend', 'cpu');
    expect(text).toMatch(/^heed backend: cpu/);
    expect(text).toContain('backends available here:');
  });

  it('names the bad argument', () => {
    expect(() => execFileSync(process.execPath, [cli, 'info', '--backend', 'tpu'], { encoding: 'utf8', stdio: 'pipe' })).toThrow(
      /--backend must be one of webgpu, webgl, wasm, cpu; got "tpu"/,
    );
  });
});
