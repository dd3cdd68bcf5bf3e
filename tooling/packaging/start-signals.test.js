// `npm start` (tooling/scripts/start.mjs) serves the demo from a child `vite preview`: a SIGTERM or
// SIGHUP to start.mjs must stop the child too (it used to be left serving, so the next start
// failed with "port already in use"). Here a real parent forwards to a real long-running child.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const forwardSignals = pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), '..', 'scripts', 'forward-signals.mjs')).href;

/** Starts a parent that spawns a server-like child with forwardSignals; resolves with both pids. */
function start() {
  const parentScript = `
    import { spawn } from 'node:child_process';
    import { forwardSignals } from ${JSON.stringify(forwardSignals)};
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    forwardSignals(child);
    console.log(child.pid);`;
  const parent = spawn(process.execPath, ['--input-type=module', '-e', parentScript], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) => parent.stdout.once('data', (chunk) => resolve({ parent, childPid: Number(String(chunk).trim()) })));
}

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('start.mjs signal forwarding', () => {
  it.each(['SIGTERM', 'SIGHUP', 'SIGINT'])('%s stops the child server and the parent exits as the child did', async (signal) => {
    const { parent, childPid } = await start();
    expect(alive(childPid)).toBe(true);
    const exited = new Promise((resolve) => parent.on('exit', (code, parentSignal) => resolve({ code, parentSignal })));
    parent.kill(signal);
    const { code } = await exited;
    expect(code).toBe(128 + { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 }[signal]);
    for (let tries = 0; tries < 50 && alive(childPid); tries++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(alive(childPid)).toBe(false);
  });
});
