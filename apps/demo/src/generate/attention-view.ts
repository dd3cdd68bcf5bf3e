import type { Gpt2StepTrace } from '@heed/models';
import { attentionHeatmapSvg, renderTokenHighlight } from '@heed/viz';
import { attentionHistory, selectAttention, type HeadChoice } from './attention-selection';

/** What the attention view draws: the tokens so far and one trace per generated token. */
export interface AttentionViewState {
  /** How every token reads: the prompt's, then the generated ones. */
  readonly tokens: readonly string[];
  readonly promptTokens: number;
  /** `traces[s]`: the attention that chose generated token `s`. */
  readonly traces: readonly Gpt2StepTrace[];
  readonly layer: number;
  readonly head: HeadChoice;
  /** Which step to highlight (default the newest). */
  readonly step?: number;
}

const format = (weight: number) => `${(weight * 100).toFixed(1)}%`;

/**
 * Draws a generation's attention: for the chosen step, the query token's weights over every
 * earlier token as a token highlight (@heed/viz `renderTokenHighlight`), and every step so far as
 * a (new tokens × tokens) heatmap (`attentionHeatmapSvg`, future tokens masked). Returns the
 * highlighted weights (for the page's data attributes), or undefined before the first token.
 *
 * @example
 * ```ts
 * drawAttention(highlight, caption, heatmap, { tokens, promptTokens, traces, layer: 3, head: 'mean' });
 * ```
 */
export function drawAttention(highlight: HTMLElement, caption: HTMLElement, heatmap: HTMLElement, state: AttentionViewState): Float32Array | undefined {
  const { tokens, promptTokens, traces, layer, head } = state;
  if (traces.length === 0) {
    highlight.replaceChildren();
    heatmap.replaceChildren();
    caption.textContent = 'Generate to see which earlier tokens each new token rests on.';
    return undefined;
  }
  const step = Math.min(state.step ?? traces.length - 1, traces.length - 1);
  const weights = selectAttention(traces[step]!, layer, head);
  const seen = tokens.slice(0, weights.length); // the prompt and the tokens generated before this step
  const chosen = tokens[promptTokens + step] ?? '';
  const headText = head === 'mean' ? 'heads averaged' : `head ${head}`;
  renderTokenHighlight(highlight, { tokens: seen, scores: weights, separator: '', title: `Attention over earlier tokens, layer ${layer}, ${headText}`, format, domain: [0, Math.max(...weights)] });
  caption.textContent = `New token ${step + 1} of ${traces.length}, ${JSON.stringify(chosen)}: chosen from the attention of ${JSON.stringify(seen.at(-1))} (the query, last highlighted) over the ${weights.length} tokens so far, layer ${layer}, ${headText}.`;
  const columns = traces.at(-1)!.attention[layer]![0]!.length;
  const history = attentionHistory(traces, layer, head, columns);
  heatmap.innerHTML = attentionHeatmapSvg({
    weights: history.weights,
    masked: history.masked,
    rowLabels: traces.map((_, s) => tokens[promptTokens + s] ?? ''),
    columnLabels: tokens.slice(0, columns),
    title: `Every new token (rows) over the tokens before it (columns), layer ${layer}, ${headText}`,
  }); // generated and escaped by @heed/viz
  return weights;
}
