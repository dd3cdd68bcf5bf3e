import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import * as heed from './index';
import { expectConfigRoundTrip } from './testing/expect-config-round-trip';

/** A small config for every exported layer; a new layer without an entry fails the test below. */
const CONFIGS: Record<string, object> = {
  MultiHeadAttention: { numHeads: 2, keyDim: 3, valueDim: 4, dropout: 0.1, useBias: false, outputShape: 5 },
  AdditiveAttention: { units: 3 },
  BahdanauAttention: { units: 3, dropout: 0.2 },
  LuongAttention: { scoreMode: 'concat', units: 2 },
  CosineAttention: { temperature: 0.1, learnTemperature: true },
  LocalAttention: { window: 2, mode: 'local-p', predictorUnits: 3 },
  HybridAttention: { numHeads: 2, keyDim: 3, radius: 2, globalTokens: [0, 5] },
  SinusoidalPositionEncoding: { maxWavelength: 100 },
  PositionEmbedding: { sequenceLength: 7 },
  RotaryEmbedding: { scalingFactor: 2 },
  TransformerEncoderBlock: { numHeads: 2, intermediateDim: 8, activation: 'gelu', normalizeFirst: true },
  TransformerDecoderBlock: { numHeads: 2, intermediateDim: 8, dropout: 0.1 },
};

it('every exported layer is registered and its getConfig() round-trips through JSON (one shared helper)', () => {
  type LayerClass = (new (config: object) => tf.layers.Layer) & { className: string };
  const layerClasses = (Object.values(heed) as unknown[]).filter(
    (value): value is LayerClass =>
      typeof value === 'function' && value.prototype instanceof tf.layers.Layer && Object.hasOwn(value, 'className'),
  );
  expect(layerClasses.map((cls) => cls.className).sort()).toEqual(Object.keys(CONFIGS).sort());
  for (const cls of layerClasses) {
    expectConfigRoundTrip(new cls({ ...CONFIGS[cls.className], name: `round_trip_${cls.className}` }));
  }
});
