import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { stringFlag, type Flags } from './classifier-common';

/** The folder inside `checkpoint-<step>/` that holds heed's Trainer checkpoint (`Trainer.save`). */
export const TRAINER_CHECKPOINT_DIR = 'heed-trainer';

/**
 * The checkpoint `heed hf fine-tune` resumes from: `--resume-from-checkpoint DIR`, or with
 * `--resume` the `checkpoint-<step>` folder of the highest step in `out` (as transformers'
 * `resume_from_checkpoint=True`); undefined when neither is given. Errors name the flag.
 *
 * @example
 * ```ts
 * await resumeCheckpoint(parseFlags(['--resume'], { resume: 'flag' }, 'heed hf fine-tune'), 'out/bert', 'heed hf fine-tune'); // "out/bert/checkpoint-24"
 * ```
 */
export async function resumeCheckpoint(flags: Flags, out: string, command: string): Promise<string | undefined> {
  if (flags.has('resume') && flags.has('resume-from-checkpoint')) throw new Error(`${command}: give --resume or --resume-from-checkpoint, not both`);
  if (flags.has('resume-from-checkpoint')) return stringFlag(flags, 'resume-from-checkpoint', '');
  if (!flags.has('resume')) return undefined;
  const steps = (await readdir(out).catch(() => [] as string[])).map((name) => /^checkpoint-(\d+)$/.exec(name)?.[1]).filter((step): step is string => step !== undefined).map(Number);
  if (steps.length === 0) throw new Error(`${command}: --resume found no checkpoint-<step> folder in --out ${out}; save some first (--save-steps, or --save-strategy epoch for a text), or name one with --resume-from-checkpoint`);
  return join(out, `checkpoint-${Math.max(...steps)}`);
}
