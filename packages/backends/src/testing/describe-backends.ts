import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, it } from 'vitest';
import type { BackendName } from '../backend-name';
import { initBackend } from '../init-backend';

/** The backends heed tests on in Node: pure JS, WebAssembly, and WebGPU over Dawn/Mesa. */
export const TEST_BACKENDS: readonly BackendName[] = ['cpu', 'wasm', 'webgpu'];

/** Options of {@link describeBackends}. */
export interface DescribeBackendsOptions {
  /** Backends to skip on purpose, each with its reason (printed, and shown as a skipped suite). */
  skip?: Partial<Record<BackendName, string>>;
}

const availability = new Map<BackendName, Promise<string | undefined>>();

/** @returns undefined when `name` starts here, else the reason it cannot. */
function unavailableBecause(name: BackendName): Promise<string | undefined> {
  let pending = availability.get(name);
  if (!pending) {
    pending = initBackend({ backend: name, allowSoftwareGpu: true }).then(
      () => undefined,
      (error: Error) => error.message,
    );
    availability.set(name, pending);
  }
  return pending;
}

/**
 * Runs one test suite on each backend available here, as tfjs does: the suite is registered once
 * per backend under `describe('<name> backend')`, and that backend is active while its tests run
 * (with heed's kernel overrides registered, as users get them). A backend that cannot start, or
 * is in `options.skip`, becomes a skipped suite whose title says why, and the reason is printed.
 * Call it with `await` at the top level of a test file.
 *
 * @example
 * ```ts
 * await describeBackends(TEST_BACKENDS, (backend) => {
 *   it('adds', async () => {
 *     await expectClose(tf.add(tf.ones([2]), tf.ones([2])), [2, 2]);
 *   });
 * }, { skip: { webgpu: 'no int64 in WGSL' } });
 * ```
 */
export async function describeBackends(
  backends: readonly BackendName[],
  suite: (backend: BackendName) => void,
  options: DescribeBackendsOptions = {},
): Promise<void> {
  for (const name of backends) {
    const reason = options.skip?.[name] ?? (await unavailableBecause(name));
    if (reason !== undefined) {
      console.warn(`[heed] skipping ${name} backend: ${reason}`);
      describe.skip(`${name} backend (skipped: ${reason})`, () => {
        it('is unavailable here', () => undefined);
      });
      continue;
    }
    describe(`${name} backend`, () => {
      beforeAll(async () => {
        await initBackend({ backend: name, allowSoftwareGpu: true });
        if (tf.getBackend() !== name) throw new Error(`describeBackends: expected ${name} to be active, got ${tf.getBackend()}`);
      });
      suite(name);
    });
  }
}
