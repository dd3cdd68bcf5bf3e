import { fromPretrained, GPT2LMHeadModel, loadGpt2Tokenizer, type CheckpointSource, type HfTokenizer } from '@heed/models';

/** A GPT-2 checkpoint ready to generate: the model and its tokenizer. */
export interface LoadedGpt2 {
  readonly model: GPT2LMHeadModel;
  readonly tokenizer: HfTokenizer;
  /** Where it came from (a URL or "dropped folder"). */
  readonly location: string;
}

/**
 * Loads a GPT-2 causal LM from any checkpoint source (the shipped folder over http, a Hub-layout
 * URL, dropped files) through @heed/models' `fromPretrained` and `loadGpt2Tokenizer` (tokenizer.json,
 * or vocab.json + merges.txt). A checkpoint of another architecture is an error naming it; nothing
 * stays loaded after a failure.
 *
 * @example
 * ```ts
 * const { model, tokenizer } = await loadGpt2Checkpoint(urlSource('https://huggingface.co/gpt2/resolve/main'));
 * ```
 */
export async function loadGpt2Checkpoint(source: CheckpointSource): Promise<LoadedGpt2> {
  const model = await fromPretrained(source, { onWarning: (warning) => console.warn(warning) });
  try {
    if (!(model instanceof GPT2LMHeadModel)) {
      throw new Error(`${source.location}: expected a GPT-2 causal language model (architectures ["GPT2LMHeadModel"] in config.json); got ${model.architecture}`);
    }
    return { model, tokenizer: await loadGpt2Tokenizer(source, model.config), location: source.location };
  } catch (error) {
    model.dispose();
    throw error;
  }
}
