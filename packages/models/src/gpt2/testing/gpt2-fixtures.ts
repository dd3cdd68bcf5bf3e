import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HfReference, Recorded } from '../../hf/testing/hf-fixtures';

/** Test support: the checkpoints scripts/hf/make_gpt2_fixtures.py writes (PyTorch GPT-2 in HF layout). */
export const GPT2_FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '__fixtures__');

export interface Gpt2Reference extends HfReference {
  texts: string[];
  greedy?: { prompt: number[]; ids: number[]; step_logits: Recorded[] };
  left_padded?: { input_ids: number[][]; attention_mask: number[][]; position_ids: number[][]; last_logits: Recorded };
  repetition_penalty?: { prompt: number[]; penalty: number; ids: number[] };
  beam?: { prompt: number[]; num_beams: number; ids: number[] };
  several_stop_ids?: {
    prompt: number[];
    max_new_tokens: number;
    greedy_eos: number[];
    greedy_ids: number[];
    beam: { num_beams: number; max_new_tokens: number; length_penalty: number; early_stopping: boolean; eos: number[]; ids: number[] };
  };
  beam_repetition_penalty?: { prompt: number[]; num_beams: number; penalty: number; ids: number[]; ids_penalty_on_logits: number[] };
  perplexity?: { text: string; ids: number[]; block_size: number; blocks: number; eval_loss: number; perplexity: number };
}

export async function gpt2Reference(name: string): Promise<Gpt2Reference> {
  return (await import(join(GPT2_FIXTURES, name, 'reference.json'), { with: { type: 'json' } })).default as Gpt2Reference;
}
