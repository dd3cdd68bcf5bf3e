import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';

/**
 * The one check every heed layer's test runs (KerasHub's `run_serialization_test`): its class is
 * registered under its `className`, `getConfig()` survives `JSON.stringify`/`JSON.parse`, and the
 * class's `fromConfig` rebuilds a layer of the same class whose config is identical. Returns the
 * rebuilt layer.
 *
 * @example
 * ```ts
 * const rebuilt = expectConfigRoundTrip(new LayerNorm({ epsilon: 1e-12 }));
 * ```
 */
export function expectConfigRoundTrip<T extends tf.layers.Layer>(layer: T): T {
  const className = layer.getClassName();
  const registered = tf.serialization.SerializationMap.getMap().classNameMap[className];
  expect(registered, `${className} is registered with tf.serialization.registerClass`).toBeDefined();
  expect(registered![0]).toBe(layer.constructor);
  const config = layer.getConfig();
  const json = JSON.parse(JSON.stringify(config)) as tf.serialization.ConfigDict;
  expect(json, `${className}.getConfig() is plain JSON`).toEqual(config);
  const [cls, fromConfig] = registered!;
  const rebuilt = fromConfig(cls, json) as T;
  expect(rebuilt).toBeInstanceOf(layer.constructor);
  expect(rebuilt.getConfig()).toEqual(config);
  return rebuilt;
}
