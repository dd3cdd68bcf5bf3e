import { spawn } from 'node:child_process';
import { initBackend, isBackendName, probeBackends, type BackendReport } from '@heed/backends';

export const INFO_USAGE = `heed info [--backend webgpu|wasm|cpu] [--json] [--verbose]

Prints the tensor backend heed picks on this machine, what it tried first and why each one was
skipped, whether WebAssembly SIMD and threads are on, the GPU adapter (for WebGPU), the fast kernel
overrides registered, and which backends can start here. The WebGPU runtime in Node (Dawn) prints
its own warnings while it looks for adapters ("Couldn't load Vulkan", "... artificially reduced");
they are detail, not errors, and --verbose shows them on stderr after the report.`;

/** Set in the child process that probes the backends (see {@link info}). */
const PROBE_ENV = 'HEED_INFO_PROBE';

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

/** The report itself, printed by this process (the probing child). */
async function probe(args: readonly string[], backend: string | undefined): Promise<void> {
  const report = await initBackend(backend && isBackendName(backend) ? { backend } : {});
  const all = await probeBackends();
  const text = args.includes('--json') ? JSON.stringify({ ...report, available: all }, null, 2) : formatReport(report, all);
  await new Promise<void>((resolve, reject) => process.stdout.write(`${text}\n`, (error) => (error ? reject(error) : resolve())));
}

/**
 * `heed info [--backend NAME] [--json] [--verbose]`: which backend heed picks here, and why. The
 * backends are probed in a child process whose stderr is kept: Dawn, the WebGPU runtime, writes
 * its warnings to the process's stderr from native code, where JavaScript cannot silence them.
 * They appear only with `--verbose` (or, verbatim, when the probe fails). Returns the exit status.
 *
 * @example
 * ```ts
 * const status = await info(['--json']); // prints the report on stdout
 * ```
 */
export async function info(args: readonly string[]): Promise<number> {
  const known = new Set(['--json', '--verbose', '--backend']);
  const unknown = args.find((arg, index) => !known.has(arg) && args[index - 1] !== '--backend');
  if (unknown !== undefined) throw new Error(`heed info: unknown argument ${JSON.stringify(unknown)}\n\n${INFO_USAGE}`);
  const backendIndex = args.indexOf('--backend');
  const backend = backendIndex >= 0 ? args[backendIndex + 1] : undefined;
  if (backendIndex >= 0 && (backend === undefined || !isBackendName(backend))) {
    throw new Error(`heed info: --backend must be one of webgpu, webgl, wasm, cpu; got ${JSON.stringify(backend ?? null)}`);
  }
  if (process.env[PROBE_ENV] === '1') {
    await probe(args, backend);
    return 0;
  }
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, 'info', ...args], {
    env: { ...process.env, [PROBE_ENV]: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  const code = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status, signal) => resolve(status ?? (signal ? 1 : 0)));
  });
  process.stdout.write(Buffer.concat(stdout));
  const messages = Buffer.concat(stderr).toString('utf8').trim();
  if (code !== 0) process.stderr.write(`${messages}\n`);
  else if (args.includes('--verbose') && messages) process.stderr.write(`\nmessages of the backends' native runtimes (Dawn for WebGPU), printed while probing:\n${messages}\n`);
  return code;
}
