import { initBackend, isBackendName, probeBackends, type BackendReport } from '@heed/backends';

/** Formats a backend report for a terminal. */
export function formatReport(report: BackendReport, all: Awaited<ReturnType<typeof probeBackends>>): string {
  const lines = [
    `heed backend: ${report.name}${report.isGpu ? ' (GPU)' : ''}`,
    `  simd: ${report.simd ? 'yes' : 'no'}   threads: ${report.threads ? 'yes' : 'no'}`,
    `  kernel overrides: ${report.kernelOverrides.length ? report.kernelOverrides.join(', ') : 'none'}`,
  ];
  if (report.simdKernels) {
    const { build, threads, notes } = report.simdKernels;
    const kind = build === 'relaxed' ? 'relaxed SIMD (fused multiply-add)' : 'plain SIMD';
    lines.push(`  heed kernels: ${kind}, ${threads} thread${threads === 1 ? '' : 's'}${notes.length ? ` (${notes.join('; ')})` : ''}`);
  }
  if (report.adapter) {
    const { vendor, device, description, isSoftware } = report.adapter;
    lines.push(`  adapter: ${[vendor, device, description].filter(Boolean).join(' / ')}${isSoftware ? ' (software)' : ''}`);
  }
  lines.push('  chosen after trying:');
  for (const attempt of report.tried) lines.push(`    ${attempt.ok ? '✓' : '✗'} ${attempt.name}${attempt.reason ? `: ${attempt.reason}` : ''}`);
  lines.push('backends available here:');
  for (const attempt of all) lines.push(`  ${attempt.ok ? '✓' : '✗'} ${attempt.name}${attempt.reason ? `: ${attempt.reason}` : ''}`);
  return lines.join('\n');
}

/** `heed info [--backend NAME] [--json]`: which backend heed picks here, and why. */
export async function info(args: string[]): Promise<void> {
  const json = args.includes('--json');
  const backendIndex = args.indexOf('--backend');
  const backend = backendIndex >= 0 ? args[backendIndex + 1] : undefined;
  if (backend !== undefined && !isBackendName(backend)) {
    throw new Error(`heed info: --backend must be one of webgpu, webgl, wasm, cpu; got ${JSON.stringify(backend)}`);
  }
  const report = await initBackend(backend ? { backend } : {});
  const all = await probeBackends();
  console.log(json ? JSON.stringify({ ...report, available: all }, null, 2) : formatReport(report, all));
}
