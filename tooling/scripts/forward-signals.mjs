// Forwards the signals that stop a server to a child process, and ends this process the way the
// child ended. Without it `npm start` stopped by SIGTERM (a service manager, `kill`) or SIGHUP (a
// closed terminal) left `vite preview` orphaned and serving, so the next start failed with
// "port already in use".
import { constants } from 'node:os';

/** The signals forwarded by default: Ctrl+C, `kill`, a closed terminal. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Passes each of `signals` on to `child`, and exits when it exits: with its exit code, or with
 * 128 + the signal's number when a signal ended it (as a shell reports it).
 *
 * @param {import('node:child_process').ChildProcess} child
 * @param {string[]} [signals]
 * @example
 * forwardSignals(spawn(process.execPath, ['server.js'], { stdio: 'inherit' }));
 */
export function forwardSignals(child, signals = STOP_SIGNALS) {
  for (const signal of signals) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(signal ? 128 + (constants.signals[signal] ?? 0) : (code ?? 0)));
}
