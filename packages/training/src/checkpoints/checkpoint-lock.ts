import type * as Os from 'node:os';
import { importNodeOnly } from '@heed/backends';

/** The file operations {@link lockDirectory} needs (a subset of `CheckpointFileSystem`). */
export interface LockFileSystem {
  /** Creates `path` with `data`; rejects with `code: 'EEXIST'` if it exists (O_CREAT | O_EXCL). */
  writeFileExclusive(path: string, data: string): Promise<void>;
  readFile(path: string): Promise<Uint8Array>;
  rm(path: string, options: { force: true }): Promise<void>;
  stat?(path: string): Promise<{ mtimeMs?: number }>;
}

/** Options of {@link lockDirectory}. */
export interface LockOptions {
  /** How long to wait for another process's save before failing. Default 120 s. */
  timeoutMs?: number;
  /** A lock older than this is taken over even if its process seems alive (another host, a hung save). Default 10 min. */
  staleAfterMs?: number;
}

/** What a lock file holds: who took it, and when. */
interface LockOwner {
  pid: number;
  hostname: string;
  createdAt: number;
}

/** A lock file that cannot be parsed (its writer is between create and write, or died there) is stale after this long. */
const UNREADABLE_STALE_MS = 10_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const isExists = (error: unknown) => (error as { code?: string }).code === 'EEXIST';

function parseOwner(text: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(text) as Partial<LockOwner>;
    return typeof owner.pid === 'number' && typeof owner.hostname === 'string' && typeof owner.createdAt === 'number' ? (owner as LockOwner) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether process `pid` exists on this host (signal 0 checks without signalling; EPERM means it exists). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

async function readText(fs: LockFileSystem, path: string): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await fs.readFile(path));
  } catch {
    return undefined; // gone already
  }
}

async function ageMs(fs: LockFileSystem, path: string): Promise<number> {
  const modified = (await fs.stat?.(path).catch(() => undefined))?.mtimeMs;
  return modified === undefined ? 0 : Date.now() - modified;
}

/**
 * Takes a lock on a checkpoint directory shared by processes: the file `lockPath`, created with
 * O_EXCL and holding `{pid, hostname, createdAt}`. While another process holds it, waits (polling)
 * up to `timeoutMs`. A lock whose process is gone (same host, `kill(pid, 0)` fails), or older than
 * `staleAfterMs`, is stale and taken over; the takeover itself is guarded by a second O_EXCL file
 * (`lockPath.takeover`), so two processes that both find a stale lock cannot remove each other's
 * fresh one. Resolves to a function that releases the lock (only if it is still this one's).
 *
 * @example
 * ```ts
 * const release = await lockDirectory(fs, `${directory}/checkpoint.json.lock`);
 * try { await writeCheckpoint(); } finally { await release(); }
 * ```
 */
export async function lockDirectory(fs: LockFileSystem, lockPath: string, options: LockOptions = {}): Promise<() => Promise<void>> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const staleAfterMs = options.staleAfterMs ?? 600_000;
  const os = await importNodeOnly<typeof Os>('node:os');
  const hostname = os.hostname();
  const mine = JSON.stringify({ pid: process.pid, hostname, createdAt: Date.now(), nonce: Math.random().toString(36).slice(2) });
  const isStale = async (text: string | undefined): Promise<boolean> => {
    const owner = text === undefined ? undefined : parseOwner(text);
    if (!owner) return (await ageMs(fs, lockPath)) > UNREADABLE_STALE_MS;
    if (Date.now() - owner.createdAt > staleAfterMs) return true;
    return owner.hostname === hostname && !isAlive(owner.pid);
  };
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.writeFileExclusive(lockPath, mine);
      return async () => {
        if ((await readText(fs, lockPath)) === mine) await fs.rm(lockPath, { force: true });
      };
    } catch (error) {
      if (!isExists(error)) throw error;
    }
    const held = await readText(fs, lockPath);
    if (held !== undefined && (await isStale(held))) {
      const takeover = `${lockPath}.takeover`;
      try {
        await fs.writeFileExclusive(takeover, mine);
        try {
          if ((await readText(fs, lockPath)) === held) await fs.rm(lockPath, { force: true }); // still the stale one
        } finally {
          await fs.rm(takeover, { force: true });
        }
      } catch (error) {
        if (!isExists(error)) throw error;
        if ((await ageMs(fs, takeover)) > UNREADABLE_STALE_MS) await fs.rm(takeover, { force: true }); // its taker died mid-takeover
      }
      continue;
    }
    if (Date.now() - started > timeoutMs) {
      const owner = held === undefined ? undefined : parseOwner(held);
      const who = owner ? `process ${owner.pid} on ${owner.hostname} since ${new Date(owner.createdAt).toISOString()}` : 'another process';
      throw new Error(
        `fileCheckpoint: ${lockPath} is held by ${who}; waited ${Math.round(timeoutMs / 1000)} s for its save. If no save is running, remove that file.`,
      );
    }
    await sleep(Math.min(10 + attempt * 5, 100) * (0.5 + Math.random()));
  }
}
