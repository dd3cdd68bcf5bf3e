// A page that imports @heed/models only for its layer registrations and loads a shipped Vision
// Transformer (HeedPatchEmbedding, HeedClassToken, ... and @heed/attention's
// TransformerEncoderBlock) with plain tf.loadLayersModel.
import '@heed/models';
import { predict } from './predict.js';

window.heedBundle = { predict };
