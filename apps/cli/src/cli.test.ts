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

  it('names the bad argument', () => {
    expect(() => execFileSync(process.execPath, [cli, 'info', '--backend', 'tpu'], { encoding: 'utf8', stdio: 'pipe' })).toThrow(
      /--backend must be one of webgpu, webgl, wasm, cpu; got "tpu"/,
    );
  });
});
