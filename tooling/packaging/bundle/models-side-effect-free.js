// The same page as models.js, with the import marked by the test's Vite plugin as if @heed/models's
// package.json said "sideEffects": false: the bundle drops it, and loading the saved model fails.
import '@heed/models?as-if-side-effect-free';
import { predict } from './predict.js';

window.heedBundle = { predict };
