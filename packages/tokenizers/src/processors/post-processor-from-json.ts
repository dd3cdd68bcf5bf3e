import { expectObject, unknownType } from '../json-fields';
import { BertProcessing } from './bert-processing';
import { ByteLevelProcessing } from './byte-level-processing';
import type { PostProcessor } from './post-processor';
import { TemplateProcessing } from './template-processing';

/**
 * Post-processor types {@link postProcessorFromJSON} understands.
 *
 * @example
 * ```ts
 * SUPPORTED_POST_PROCESSORS.includes('TemplateProcessing'); // true
 * ```
 */
export const SUPPORTED_POST_PROCESSORS = ['TemplateProcessing', 'BertProcessing', 'ByteLevel'] as const;

/**
 * Builds a post-processor from its `tokenizer.json` form; `null` means none.
 *
 * @example
 * ```ts
 * postProcessorFromJSON({ type: 'BertProcessing', cls: ['[CLS]', 101], sep: ['[SEP]', 102] });
 * ```
 */
export function postProcessorFromJSON(value: unknown, path = 'post_processor'): PostProcessor | null {
  if (value === null || value === undefined) return null;
  const json = expectObject(value, path);
  switch (json.type) {
    case 'TemplateProcessing':
      return TemplateProcessing.fromJSON(json, path);
    case 'BertProcessing':
      return BertProcessing.fromJSON(json, path);
    case 'ByteLevel':
      return ByteLevelProcessing.fromJSON(json, path);
    default:
      return unknownType(path, json.type, SUPPORTED_POST_PROCESSORS);
  }
}
