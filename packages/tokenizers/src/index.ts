/**
 * @heed/tokenizers: Hugging Face-exact tokenization in pure TypeScript.
 * @packageDocumentation
 */
export { bytesToUnicode, unicodeToBytes } from './bytes-to-unicode';
