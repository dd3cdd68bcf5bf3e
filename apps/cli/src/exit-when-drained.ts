/** A stream the CLI writes its output to (`process.stdout`, `process.stderr`). */
type OutputStream = Pick<NodeJS.WriteStream, 'write' | 'writable'>;

/**
 * Resolves once everything written to `stream` so far has reached the operating system. On a
 * pipe Node writes asynchronously: whatever does not fit the pipe's buffer (64 KiB on Linux)
 * waits in the process, and `process.exit()` would drop it. An empty write's callback runs after
 * every earlier write's, so waiting for it waits for them all. A stream that is already closed,
 * or fails (the reader went away), resolves too.
 *
 * @example
 * ```ts
 * console.log(JSON.stringify(bigReport));
 * await drained(process.stdout); // the whole report is in the pipe now
 * ```
 */
export function drained(stream: OutputStream): Promise<void> {
  if (!stream.writable) return Promise.resolve();
  return new Promise((resolve) => {
    try {
      stream.write('', () => resolve());
    } catch {
      resolve();
    }
  });
}

/**
 * Ends the CLI with exit status `code` once stdout and stderr have drained (see {@link drained}),
 * so that `heed … --json | parser` always receives the complete output.
 *
 * @example
 * ```ts
 * main(process.argv.slice(2)).then((code) => exitWhenDrained(code));
 * ```
 */
export async function exitWhenDrained(code: number, streams: readonly OutputStream[] = [process.stdout, process.stderr]): Promise<never> {
  await Promise.all(streams.map(drained));
  process.exit(code);
}

/**
 * Makes a reader that stops early (`heed predict g2p --input words.txt | head`) end the CLI
 * quietly with status 0, as Unix filters do, instead of an EPIPE stack trace; other stdout
 * errors are reported in one line with status 1.
 *
 * @example
 * ```ts
 * endQuietlyOnClosedPipe();
 * ```
 */
export function endQuietlyOnClosedPipe(stream: NodeJS.WriteStream = process.stdout): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    process.stderr.write(`heed: cannot write the output: ${error.message}\n`);
    process.exit(1);
  });
}
