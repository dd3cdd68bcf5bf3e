import { nodeFileHandler } from '@heed/backends';

/**
 * The Node directory handler for LayersModels (model.json + weights.bin): the same function as
 * `nodeFileHandler` of @heed/backends, heed's one Node file handler, kept under this name.
 *
 * @deprecated use `nodeFileHandler` (from @heed/backends, or re-exported by @heed/models).
 * @example
 * ```ts
 * const model = await tf.loadLayersModel(layersFileHandler('/tmp/digits'));
 * ```
 */
export const layersFileHandler: typeof nodeFileHandler = nodeFileHandler;
