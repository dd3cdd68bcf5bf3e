import type * as NodeModule from 'node:module';
import type * as NodeUrl from 'node:url';
import type * as CliProgress from 'cli-progress';
import { importNodeOnly } from '@heed/backends';
import type { TrainerCallback } from '../trainer/trainer-callback';

/** A plain progress event, for UIs (no terminal needed). */
export type ProgressEvent =
  | { type: 'epoch-begin'; epoch: number; epochs: number; batches: number | undefined }
  | { type: 'batch'; epoch: number; epochs: number; batch: number; batches: number | undefined; loss: number; learningRate: number }
  | { type: 'epoch-end'; epoch: number; epochs: number; logs: Record<string, number> }
  | { type: 'train-end'; epochs: number; error: boolean };

/** Where and whether a terminal progress bar is drawn. */
export interface TerminalProgressConfig {
  /**
   * Draw a cli-progress bar per epoch: `'auto'` (default) when stderr is a terminal, `true`
   * always (also into a file or pipe, redrawn every 2 s and at the end of each epoch), `false` never. cli-progress is imported only when a bar is drawn.
   */
  terminal?: boolean | 'auto';
  /** Where the bar is drawn (default process.stderr, cli-progress's default). */
  stream?: NodeJS.WritableStream;
}

/** Settings of {@link progressCallback}. */
export interface ProgressCallbackConfig extends TerminalProgressConfig {
  /** Receives every event (browsers: update your UI here). Default: none. */
  onEvent?: (event: ProgressEvent) => void;
}

/** One epoch's bar at a time, for training loops of your own; see {@link terminalProgressBar}. */
export interface TerminalProgressBar {
  /** Whether a bar is drawn (false when `terminal` is false, or `'auto'` and stderr is no terminal). */
  readonly drawing: boolean;
  /** Starts the bar of 0-based `epoch` of `epochs` with `batches` batches (0 when unknown). */
  begin(epoch: number, epochs: number, batches: number | undefined): void;
  /** Moves the bar to 0-based `batch` done; `note` is shown after the learning rate (e.g. a time budget). */
  update(batch: number, values: { loss: number; learningRate: number; note?: string }): void;
  /** Ends the current bar (a no-op when none is drawn). */
  end(): void;
}

type Bar = { start(total: number, value: number, payload: object): void; update(value: number, payload: object): void; stop(): void };

function isTerminal(): boolean {
  const processLike = (globalThis as { process?: { stderr?: { isTTY?: boolean } } }).process;
  return processLike?.stderr?.isTTY === true;
}

/**
 * A cli-progress bar per epoch (batches done, loss, learning rate, ETA) for loops that do not run
 * through {@link Trainer.fit}, such as `heed train g2p`'s time-budgeted loop. {@link progressCallback}
 * draws the same bar for `fit`.
 *
 * @example
 * ```ts
 * const bar = await terminalProgressBar();
 * for (let epoch = 0; epoch < epochs; epoch++) {
 *   bar.begin(epoch, epochs, batches.length);
 *   for (const [index, batch] of batches.entries()) bar.update(index, { loss: step(batch), learningRate: lr });
 *   bar.end();
 * }
 * ```
 */
export async function terminalProgressBar(config: TerminalProgressConfig = {}): Promise<TerminalProgressBar> {
  const { terminal = 'auto', stream } = config;
  if (terminal === false || (terminal === 'auto' && !isTerminal())) {
    return { drawing: false, begin() {}, update() {}, end() {} };
  }
  // Resolved from this package, not from @heed/backends where importNodeOnly's import() runs
  // (a bare 'cli-progress' there is looked up in backends' node_modules, which lacks it).
  const { createRequire } = await importNodeOnly<typeof NodeModule>('node:module');
  const { pathToFileURL } = await importNodeOnly<typeof NodeUrl>('node:url');
  const resolved = pathToFileURL(createRequire(import.meta.url).resolve('cli-progress')).href;
  const cliProgress = await importNodeOnly<typeof CliProgress & { default?: typeof CliProgress }>(resolved);
  const { SingleBar, Presets } = cliProgress.default ?? cliProgress; // CommonJS: Node puts module.exports on default
  let bar: Bar | undefined;
  let label = '';
  return {
    drawing: true,
    begin(epoch, epochs, batches) {
      bar?.stop();
      label = `${epoch + 1}/${epochs}`;
      bar = new SingleBar(
        { format: 'epoch {epoch} [{bar}] {value}/{total} batches | loss {loss} | lr {lr}{note} | ETA {eta_formatted}', hideCursor: false, noTTYOutput: terminal === true || stream !== undefined, stream, etaBuffer: 20 },
        Presets.shades_classic,
      );
      bar.start(batches ?? 0, 0, { epoch: label, loss: '-', lr: '-', note: '' });
    },
    update(batch, { loss, learningRate, note }) {
      bar?.update(batch + 1, { epoch: label, loss: loss.toFixed(4), lr: learningRate.toExponential(2), note: note ? ` | ${note}` : '' });
    },
    end() {
      bar?.stop();
      bar = undefined;
    },
  };
}

/**
 * Training progress: a real progress bar in terminals (cli-progress) and/or plain events a UI
 * can subscribe to.
 *
 * @example
 * ```ts
 * // Node: a bar per epoch with loss and learning rate.
 * await trainer.fit(data, { epochs: 5, callbacks: [progressCallback()] });
 * // Browser: events only.
 * progressCallback({ terminal: false, onEvent: (event) => event.type === 'batch' && render(event.loss) });
 * ```
 */
export function progressCallback(config: ProgressCallbackConfig = {}): TrainerCallback {
  const { onEvent } = config;
  let bar: TerminalProgressBar | undefined;
  return {
    async onTrainBegin() {
      bar = await terminalProgressBar(config);
    },
    onEpochBegin(epoch, context) {
      onEvent?.({ type: 'epoch-begin', epoch, epochs: context.epochs, batches: context.batchesPerEpoch });
      bar?.begin(epoch, context.epochs, context.batchesPerEpoch);
    },
    onBatchEnd(logs, context) {
      onEvent?.({ type: 'batch', epoch: logs.epoch, epochs: context.epochs, batch: logs.batch, batches: context.batchesPerEpoch, loss: logs.loss, learningRate: logs.learningRate });
      bar?.update(logs.batch, { loss: logs.loss, learningRate: logs.learningRate });
    },
    onEpochEnd(epoch, logs, context) {
      bar?.end();
      onEvent?.({ type: 'epoch-end', epoch, epochs: context.epochs, logs: { ...logs } });
    },
    onTrainEnd(context, error) {
      bar?.end();
      onEvent?.({ type: 'train-end', epochs: context.epochs, error: error !== undefined });
    },
  };
}
