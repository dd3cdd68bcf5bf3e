/**
 * `@heed/models/node`: Node-only loaders that read heed's datasets from their npm data packages
 * (optional peer dependencies). Browsers use the pure functions of `@heed/models` with data they
 * fetch themselves.
 * @packageDocumentation
 */
export { loadCmudictNode } from './cmudict/load-cmudict-node';
export { packageFile, readPackageJson, type NodePackageOptions } from './node-package-file';
export { loadMnistNode } from './mnist/load-mnist-node';
export { loadSentimentNode } from './text/load-sentiment-node';
export { loadMobyDickNode } from './text/load-moby-dick-node';
export { loadSpamAssassinNode } from './text/load-spam-assassin-node';
export { DEBIAN_SKLEARN_DIGITS, loadSklearnDigitsNode } from './digits/load-sklearn-digits-node';
export { loadPretrained, pretrainedPath, readPretrainedResults, type PretrainedResults } from '../pretrained/load-pretrained-node';
export {
  fileByteSource, openSafetensorsNode, saveSafetensorsCheckpointNode, writeSafetensorsNode, type SaveCheckpointOptions,
} from '../hf/safetensors/safetensors-node';
export { folderSource } from '../hf/sources/folder-source-node';
export { savePretrained, type SavePretrainedNodeOptions } from '../hf/save-pretrained-node';
