// The same page as attention.js, with the import marked by the test's Vite plugin as if @heed/attention's
// package.json said "sideEffects": false: the bundle drops it, and loading the saved model fails.
import '@heed/attention?as-if-side-effect-free';
import { predict } from './predict.js';

window.heedBundle = { predict };
