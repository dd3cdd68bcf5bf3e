import type * as CliProgress from 'cli-progress';
import { importNodeOnly } from '../environment/import-node-only';
import type { TrainerCallback } from '../trainer/trainer-callback';

/** A plain progress event, for UIs (no terminal needed). */
export type ProgressEvent =
  | { type: 'epoch-begin'; epoch: number; epochs: number; batches: number | undefined }
  | { type: 'batch'; epoch: number; epochs: number; batch: number; batches: number | undefined; loss: number; learningRate: number }
  | { type: 'epoch-end'; epoch: number; epochs: number; logs: Record<string, number> }
  | { type: 'train-end'; epochs: number; error: boolean };

/** Settings of {@link progressCallback}. */
export interface ProgressCallbackConfig {
  /** Receives every event (browsers: update your UI here). Default: none. */
  onEvent?: (event: ProgressEvent) => void;
  /**
   * Draw a cli-progress bar per epoch: `'auto'` (default) when stdout is a terminal, `true`
   * always, `false` never. cli-progress is imported only when a bar is drawn.
   */
  terminal?: boolean | 'auto';
  /** Where the bar is drawn (default process.stderr, cli-progress's default). */
  stream?: NodeJS.WritableStream;
}

type Bar = { start(total: number, value: number, payload: object): void; update(value: number, payload: object): void; stop(): void };

function isTerminal(): boolean {
  const processLike = (globalThis as { process?: { stderr?: { isTTY?: boolean } } }).process;
  return processLike?.stderr?.isTTY === true;
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
  const { onEvent, terminal = 'auto', stream } = config;
  let bar: Bar | undefined;
  let createBar: (() => Bar) | undefined;
  let total = 0;
  return {
    async onTrainBegin() {
      if (terminal === false || (terminal === 'auto' && !isTerminal())) return;
      const cliProgress = await importNodeOnly<typeof CliProgress & { default?: typeof CliProgress }>('cli-progress');
      const { SingleBar, Presets } = cliProgress.default ?? cliProgress; // CommonJS: Node puts module.exports on default
      createBar = () =>
        new SingleBar(
          { format: 'epoch {epoch} [{bar}] {value}/{total} batches | loss {loss} | lr {lr}', hideCursor: false, noTTYOutput: stream !== undefined, stream, etaBuffer: 20 },
          Presets.shades_classic,
        );
    },
    onEpochBegin(epoch, context) {
      total = context.batchesPerEpoch ?? 0;
      onEvent?.({ type: 'epoch-begin', epoch, epochs: context.epochs, batches: context.batchesPerEpoch });
      if (createBar) {
        bar = createBar();
        bar.start(total, 0, { epoch: `${epoch + 1}/${context.epochs}`, loss: '-', lr: '-' });
      }
    },
    onBatchEnd(logs, context) {
      onEvent?.({ type: 'batch', epoch: logs.epoch, epochs: context.epochs, batch: logs.batch, batches: context.batchesPerEpoch, loss: logs.loss, learningRate: logs.learningRate });
      bar?.update(logs.batch + 1, { epoch: `${logs.epoch + 1}/${context.epochs}`, loss: logs.loss.toFixed(4), lr: logs.learningRate.toExponential(2) });
    },
    onEpochEnd(epoch, logs, context) {
      bar?.stop();
      bar = undefined;
      onEvent?.({ type: 'epoch-end', epoch, epochs: context.epochs, logs: { ...logs } });
    },
    onTrainEnd(context, error) {
      bar?.stop();
      bar = undefined;
      onEvent?.({ type: 'train-end', epochs: context.epochs, error: error !== undefined });
    },
  };
}
