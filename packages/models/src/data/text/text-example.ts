/**
 * A labelled text for classification.
 *
 * @example
 * ```ts
 * const example: TextExample = { text: 'Great phone!', label: 1 };
 * ```
 */
export interface TextExample {
  text: string;
  /** Class index (e.g. 0 negative / 1 positive, 0 ham / 1 spam). */
  label: number;
}
