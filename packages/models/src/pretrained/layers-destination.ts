import type * as tf from '@tensorflow/tfjs';
import { nodeFileHandler } from '@heed/backends';

/**
 * `file://…` strings become heed's Node file handler (`nodeFileHandler` of @heed/backends; tfjs
 * has no `file://` handler without tfjs-node); other strings and handlers pass through to tf.io's
 * routers (`indexeddb://`, `localstorage://`, `http(s)://`).
 *
 * @example
 * ```ts
 * await model.save(layersDestination('file:///tmp/model')); // model.json + weights.bin
 * ```
 */
export function layersDestination(destination: string | tf.io.IOHandler): string | tf.io.IOHandler {
  return typeof destination === 'string' && destination.startsWith('file://') ? nodeFileHandler(destination) : destination;
}
