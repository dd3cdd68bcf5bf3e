/**
 * The `hidden_act` / `activation` values heed runs, as transformers names them (ACT2FN):
 * `gelu` is the exact erf form; `gelu_new`, `gelu_pytorch_tanh` and `gelu_fast` are the tanh
 * approximation 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))); `quick_gelu` is x·σ(1.702·x);
 * `silu` / `swish` is x·σ(x).
 */
export const HF_ACTIVATIONS = ['gelu', 'gelu_new', 'gelu_pytorch_tanh', 'gelu_fast', 'relu', 'silu', 'swish', 'quick_gelu'] as const;

/** A `hidden_act` value heed supports. */
export type HfActivation = (typeof HF_ACTIVATIONS)[number];

/** The block-level activation: the distinct functions behind {@link HF_ACTIVATIONS}. */
export type BlockActivation = 'gelu' | 'gelu_new' | 'relu' | 'silu' | 'quick_gelu';

/**
 * The function an HF activation name stands for (aliases folded: `gelu_pytorch_tanh` and
 * `gelu_fast` are `gelu_new`, `swish` is `silu`).
 *
 * @example
 * ```ts
 * blockActivation('gelu_pytorch_tanh'); // "gelu_new"
 * ```
 */
export function blockActivation(activation: HfActivation): BlockActivation {
  switch (activation) {
    case 'gelu_pytorch_tanh':
    case 'gelu_fast':
      return 'gelu_new';
    case 'swish':
      return 'silu';
    default:
      return activation;
  }
}
