#!/usr/bin/env node
// `npm start`: set everything up, build the CLI and the demo, print `heed info`, then serve the
// demo app on 127.0.0.1 and print its URL (Ctrl+C, SIGTERM or SIGHUP stops it and the server).
// `--no-serve` stops after `heed info`.
import { execSync, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { forwardSignals } from './forward-signals.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = (name) => `"${join(root, 'node_modules', '.bin', name)}"`;
// turbo finds pnpm on PATH, as `npm start` provides; also when this script runs on its own.
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', PATH: `${join(root, 'node_modules', '.bin')}:${process.env.PATH}` };
const run = (command, cwd = root) => execSync(command, { cwd, stdio: 'inherit', env });

run(`node "${join(root, 'tooling', 'scripts', 'setup.mjs')}"`);
const serve = !process.argv.includes('--no-serve');
run(`${bin('turbo')} run build --filter=@heed/cli... ${serve ? '--filter=@heed/demo...' : ''} --output-logs=errors-only`);
run(`node "${join(root, 'apps', 'cli', 'dist', 'cli.js')}" info`);
if (serve) {
  const port = process.env.PORT ?? '4173';
  const demo = join(root, 'apps', 'demo');
  const preview = spawn(process.execPath, [join(demo, 'node_modules', 'vite', 'bin', 'vite.js'), 'preview', '--host', '127.0.0.1', '--port', port, '--strictPort'], {
    cwd: demo,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  preview.stdout.on('data', (chunk) => {
    if (/Local:/.test(String(chunk))) console.log(`\nheed demo: http://127.0.0.1:${port}/  (Ctrl+C to stop)`);
  });
  forwardSignals(preview); // SIGINT, SIGTERM and SIGHUP stop vite preview too; exit as it exits
}
