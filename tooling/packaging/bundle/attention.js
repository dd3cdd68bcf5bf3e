// A page that imports @heed/attention only for its layer registrations, as an app that loads a
// model saved with heed's attention layers does. With "sideEffects": false in @heed/attention's
// package.json a production bundle drops this import, and tf.loadLayersModel cannot find
// TransformerEncoderBlock.
import '@heed/attention';
import { predict } from './predict.js';

window.heedBundle = { predict };
