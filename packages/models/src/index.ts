/**
 * @heed/models: Seq2Seq with attention, a ViT classifier and text classifiers.
 * @packageDocumentation
 */
export { fnv1a32, splitOf, type Split } from './data/dataset-split';
