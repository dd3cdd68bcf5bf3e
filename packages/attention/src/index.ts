/**
 * @heed/attention: every classic attention as trainable, inspectable TensorFlow.js ops and layers.
 * @packageDocumentation
 */
export { causalMask } from './causal-mask';
