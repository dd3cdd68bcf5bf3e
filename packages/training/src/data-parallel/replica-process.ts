import type { ChildProcess } from 'node:child_process';
import type { FromReplica, ToReplica } from './replica-protocol';

/** @internal One forked replica process and a queue of its messages. */
export class ReplicaProcess {
  private readonly inbox: FromReplica[] = [];
  private waiting: { resolve: (message: FromReplica) => void; reject: (error: Error) => void } | undefined;
  private exit: Error | undefined;

  constructor(
    readonly index: number,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (message: FromReplica) => {
      if (this.waiting) {
        const { resolve } = this.waiting;
        this.waiting = undefined;
        resolve(message);
      } else this.inbox.push(message);
    });
    child.on('exit', (code, signal) => {
      this.exit = new Error(`data-parallel replica ${index} exited (${signal ?? `code ${code}`})`);
      this.waiting?.reject(this.exit);
      this.waiting = undefined;
    });
  }

  /**
   * Sends `message`; resolves once it is written. A gradient message is larger than the pipe's
   * buffer, so the rest goes out only while this process's event loop runs: await this before
   * computing, or the replica would wait for the end of that computation.
   */
  async send(message: ToReplica): Promise<void> {
    if (this.exit) throw this.exit;
    await new Promise<void>((resolve, reject) => this.child.send(message, (error) => (error ? reject(error) : resolve())));
  }

  /** The next message, which must be of `type` (an `error` message from the replica throws it). */
  async receive<T extends FromReplica['type']>(type: T): Promise<Extract<FromReplica, { type: T }>> {
    const message =
      this.inbox.shift() ??
      (await new Promise<FromReplica>((resolve, reject) => {
        if (this.exit) reject(this.exit);
        else this.waiting = { resolve, reject };
      }));
    if (message.type === 'error') throw new Error(`data-parallel replica ${this.index} failed: ${message.message}`);
    if (message.type !== type) throw new Error(`data-parallel replica ${this.index} sent ${message.type}, expected ${type}`);
    return message as Extract<FromReplica, { type: T }>;
  }

  async stop(): Promise<void> {
    if (this.exit) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ type: 'stop' } satisfies ToReplica, () => undefined);
    const timer = setTimeout(() => this.child.kill(), 10_000);
    await exited;
    clearTimeout(timer);
  }
}
