import { fileListSource, gpt2Stream, urlSource, type CheckpointSource, type Gpt2StepTrace } from '@heed/models';
import { shippedIndex, weightsUrl } from '../models/shipped-models';
import { h, labeled } from '../shell/dom';
import type { Page } from '../shell/page';
import type { HeadChoice } from './attention-selection';
import { drawAttention } from './attention-view';
import { loadGpt2Checkpoint, type LoadedGpt2 } from './load-gpt2-checkpoint';
import { samplingOptions, type SamplingForm } from './sampling-options';
import { settledText, tokenStrings } from './token-text';

/** The page's default model: the small GPT-2 heed trained on Moby-Dick (packages/models/weights/gpt-moby-dick/). */
export const SHIPPED_GPT = 'gpt-moby-dick';

/** The shipped model, loaded once per page load and kept across visits (the other pages keep theirs too). */
let shipped: Promise<LoadedGpt2> | undefined;
function loadShippedGpt(): Promise<LoadedGpt2> {
  shipped ??= (async () => {
    const entry = (await shippedIndex())[SHIPPED_GPT];
    if (!entry) throw new Error(`The ${SHIPPED_GPT} model is not available: this build of the demo ships no weights for it (packages/models/weights/${SHIPPED_GPT}/ is missing).`);
    return loadGpt2Checkpoint(urlSource(weightsUrl(SHIPPED_GPT), { cache: false }));
  })();
  shipped.catch(() => (shipped = undefined)); // let a later visit try again
  return shipped;
}

/** Lets the browser paint between tokens (the stream's reads may resolve without a task boundary). */
const nextFrame = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Page: a GPT-2 continues a prompt token by token in this tab — by default the small GPT-2 heed
 * trained itself on Moby-Dick, or any GPT-2 checkpoint from a Hub-layout URL or a dropped folder —
 * greedy or seeded sampling (temperature, top-k, top-p), tokens streamed as they come, and the
 * newest token's attention over every earlier token drawn live for a chosen layer and head.
 */
export const generatePage: Page = {
  id: 'generate',
  title: 'Generate',
  status: 'ready',
  render(container, { report }) {
    const status = h('output', { id: 'gen-status', 'aria-live': 'polite' }, 'Loading the model…');
    const message = h('p', { id: 'gen-message', role: 'alert', class: 'error', hidden: true });
    const url = h('input', { id: 'gen-url', name: 'url', type: 'url', size: 50, placeholder: 'https://huggingface.co/<id>/resolve/main' });
    const load = h('button', { id: 'gen-load', type: 'button' }, 'Load');
    const useShipped = h('button', { id: 'gen-shipped', type: 'button' }, `Use ${SHIPPED_GPT}`);
    const folder = h('input', { id: 'gen-folder', name: 'folder', type: 'file', multiple: true, webkitdirectory: true });
    const drop = h('div', { id: 'gen-drop', class: 'notice' }, 'or drop a GPT-2 folder (config.json, model.safetensors, tokenizer.json or vocab.json + merges.txt) here');
    const prompt = h('textarea', { id: 'gen-prompt', name: 'prompt', rows: 3, cols: 70, spellcheck: false }, 'The whale');
    const mode = h('select', { id: 'gen-mode', name: 'mode' }, h('option', { value: 'greedy' }, 'greedy'), h('option', { value: 'sample', selected: true }, 'sample'));
    const input = (id: string, value: string, attributes: Record<string, string | number> = {}) => h('input', { id, name: id, type: 'number', value, size: 5, ...attributes });
    const temperature = input('gen-temperature', '0.8', { min: 0, step: 'any' });
    const topK = input('gen-top-k', '40', { min: 1, step: 1, placeholder: 'all' });
    const topP = input('gen-top-p', '0.95', { min: 0, max: 1, step: 'any' });
    const seed = input('gen-seed', '1', { step: 1 });
    const maxNewTokens = input('gen-max-new-tokens', '60', { min: 1, step: 1 });
    const run = h('button', { id: 'gen-run', type: 'button', class: 'primary', disabled: true }, 'Generate');
    const stop = h('button', { id: 'gen-stop', type: 'button', disabled: true }, 'Stop');
    const progress = h('output', { id: 'gen-progress', 'aria-live': 'polite' });
    const promptText = h('span', { class: 'gen-prompt-text' });
    const newText = h('mark', { class: 'gen-new-text' });
    const output = h('p', { id: 'gen-output', class: 'gen-output' }, promptText, newText);
    const layerSelect = h('select', { id: 'gen-layer', name: 'layer' });
    const headSelect = h('select', { id: 'gen-head', name: 'head' });
    const stepInput = h('input', { id: 'gen-step', name: 'step', type: 'range', min: 0, max: 0, value: 0, disabled: true });
    const caption = h('p', { id: 'gen-attention-caption', class: 'help' });
    const highlight = h('div', { id: 'gen-attention', class: 'token-highlight', 'aria-label': 'The newest token\'s attention over earlier tokens' });
    const heatmap = h('figure', { id: 'gen-history', 'aria-label': 'Every new token\'s attention' });
    const results = h('p', { id: 'gen-results', class: 'help' });
    const samplingRow = h('p', { class: 'row', id: 'gen-sampling' }, labeled('Temperature', temperature), labeled('Top-k', topK), labeled('Top-p', topP), labeled('Seed', seed));
    container.append(
      h('h1', { id: 'page-generate-title' }, 'Generate: a GPT-2 writes, and you see what it attends to'),
      h('p', {}, `A GPT-2 (@heed/models' GPT2LMHeadModel with its key/value cache) continues your prompt on the ${report.name} backend in this tab, token by token. By default it is ${SHIPPED_GPT}, a small GPT-2 that heed trained itself on Moby-Dick; any GPT-2 checkpoint loads from a URL in the Hub's layout or a dropped folder.`),
      results,
      h('p', { class: 'row' }, status, useShipped),
      h('p', { class: 'row' }, labeled('Base URL', url), load, labeled('Folder', folder)),
      drop, message,
      h('p', {}, labeled('Prompt', prompt)),
      h('p', { class: 'row' }, labeled('Decoding', mode), labeled('Max new tokens', maxNewTokens)),
      samplingRow,
      h('p', { class: 'row' }, run, stop, progress),
      output,
      h('section', { 'aria-labelledby': 'gen-attention-title' },
        h('h2', { id: 'gen-attention-title' }, 'Attention of the newest token'),
        h('p', {}, 'Each new token is chosen from the last token\'s attention over the prompt and everything generated so far; the highlight shows those weights (darker = more), live while tokens stream. ', labeled('Layer', layerSelect), ' ', labeled('Head', headSelect), ' ', labeled('Step', stepInput)),
        caption, highlight,
        h('h3', {}, 'Every step so far'),
        heatmap,
      ),
    );

    let loaded: LoadedGpt2 | undefined;
    let ownsModel = false; // a URL / folder model is this page's to dispose; the shipped one is kept
    let version = 0;
    let generating = false;
    let stopRequested = false;
    let view: { tokens: string[]; promptTokens: number; traces: Gpt2StepTrace[] } = { tokens: [], promptTokens: 0, traces: [] };
    let followNewest = true;
    let releaseWhenDone = false; // the page was left mid-generation: dispose after the stream stops

    const fail = (error: unknown) => {
      message.textContent = (error as Error).message;
      message.hidden = false;
      container.dataset.state = 'error';
    };
    const release = () => {
      if (ownsModel) loaded?.model.dispose();
      loaded = undefined;
      ownsModel = false;
    };
    const head = (): HeadChoice => (headSelect.value === 'mean' ? 'mean' : Number(headSelect.value));
    const redraw = () => {
      const weights = drawAttention(highlight, caption, heatmap, { ...view, layer: Number(layerSelect.value), head: head(), step: followNewest ? undefined : Number(stepInput.value) });
      if (weights) container.dataset.attention = JSON.stringify(Array.from(weights));
    };
    const syncSampling = () => {
      for (const control of [temperature, topK, topP, seed]) control.disabled = mode.value === 'greedy';
    };

    const open = async (source: () => Promise<LoadedGpt2>, owned: boolean) => {
      if (generating) return;
      const current = ++version;
      release();
      container.dataset.state = 'loading';
      message.hidden = true;
      run.disabled = true;
      status.textContent = 'Loading the model…';
      try {
        const next = await source();
        if (current !== version) {
          if (owned) next.model.dispose();
          return;
        }
        loaded = next;
        ownsModel = owned;
        const { config } = next.model;
        const parameters = next.model.weights.reduce((total, weight) => total + weight.variable.size, 0);
        status.textContent = `${owned ? next.location : SHIPPED_GPT}: GPT-2, ${config.n_layer} layers × ${config.n_head} heads, ${config.n_embd} wide, ${parameters.toLocaleString('en')} parameters, ${next.tokenizer.vocabSize.toLocaleString('en')} tokens, ${config.n_positions} positions.`;
        layerSelect.replaceChildren(...Array.from({ length: config.n_layer }, (_, layer) => h('option', { value: layer }, String(layer))));
        layerSelect.value = String(config.n_layer - 1);
        headSelect.replaceChildren(h('option', { value: 'mean' }, 'mean'), ...Array.from({ length: config.n_head }, (_, index) => h('option', { value: index }, String(index))));
        maxNewTokens.max = String(config.n_positions - 1);
        view = { tokens: [], promptTokens: 0, traces: [] };
        redraw();
        run.disabled = false;
        Object.assign(container.dataset, { state: 'ready', model: owned ? next.location : SHIPPED_GPT });
      } catch (error) {
        if (current !== version) return;
        status.textContent = 'No model loaded.';
        fail(error);
      }
    };

    const generate = async () => {
      const target = loaded;
      if (!target || generating) return;
      message.hidden = true;
      const { model, tokenizer } = target;
      let options;
      let promptIds: number[];
      try {
        promptIds = tokenizer.tokenizer.encode(prompt.value).ids;
        const form: SamplingForm = { mode: mode.value as SamplingForm['mode'], temperature: temperature.value, topK: topK.value, topP: topP.value, seed: seed.value, maxNewTokens: maxNewTokens.value };
        options = samplingOptions(form, { promptTokens: promptIds.length, positions: model.config.n_positions });
      } catch (error) {
        fail(error);
        return;
      }
      generating = true;
      stopRequested = false;
      followNewest = true;
      run.disabled = load.disabled = useShipped.disabled = true;
      stop.disabled = false;
      container.dataset.state = 'generating';
      const newIds: number[] = [];
      view = { tokens: tokenStrings(tokenizer, promptIds), promptTokens: promptIds.length, traces: [] };
      promptText.textContent = settledText(tokenizer, promptIds, true);
      newText.textContent = '';
      const started = performance.now();
      let ended = 'max new tokens';
      try {
        for await (const { token, stop: isStop, trace } of gpt2Stream(model, [promptIds], { ...options, outputAttentions: true })) {
          view.traces.push(trace!);
          view.tokens.push(tokenStrings(tokenizer, [token])[0]!);
          if (isStop) ended = 'end of text';
          else newIds.push(token);
          newText.textContent = settledText(tokenizer, newIds);
          stepInput.max = String(view.traces.length - 1);
          stepInput.value = stepInput.max;
          redraw();
          const seconds = (performance.now() - started) / 1000;
          progress.textContent = `${view.traces.length} tokens · ${(view.traces.length / seconds).toFixed(1)} tokens/s`;
          Object.assign(container.dataset, { steps: String(view.traces.length), ids: JSON.stringify(newIds) });
          await nextFrame();
          if (stopRequested) {
            ended = 'stopped';
            break;
          }
        }
        newText.textContent = settledText(tokenizer, newIds, true);
        progress.textContent = `${view.traces.length} tokens in ${((performance.now() - started) / 1000).toFixed(1)} s (${ended}).`;
        Object.assign(container.dataset, { state: 'ready', text: newText.textContent, ended, runs: String(Number(container.dataset.runs ?? 0) + 1) });
      } catch (error) {
        fail(error);
      } finally {
        generating = false;
        if (releaseWhenDone) release();
        stepInput.disabled = view.traces.length === 0;
        run.disabled = load.disabled = useShipped.disabled = loaded !== target;
        stop.disabled = true;
      }
    };

    run.addEventListener('click', () => void generate());
    stop.addEventListener('click', () => (stopRequested = true));
    mode.addEventListener('change', syncSampling);
    layerSelect.addEventListener('change', redraw);
    headSelect.addEventListener('change', redraw);
    stepInput.addEventListener('input', () => {
      followNewest = Number(stepInput.value) === view.traces.length - 1;
      redraw();
    });
    const openSource = (source: CheckpointSource) => void open(() => loadGpt2Checkpoint(source), true);
    load.addEventListener('click', () => {
      if (url.value.trim() === '') return fail(new Error('Base URL: expected the address of a GPT-2 checkpoint, e.g. https://huggingface.co/<id>/resolve/main; got nothing'));
      openSource(urlSource(url.value.trim(), { onProgress: ({ file, loaded: bytes, total }) => (status.textContent = `Downloading ${file}: ${bytes.toLocaleString('en')}${total ? ` of ${total.toLocaleString('en')}` : ''} bytes…`) }));
    });
    useShipped.addEventListener('click', () => void open(loadShippedGpt, false));
    folder.addEventListener('change', () => {
      if (folder.files && folder.files.length > 0) openSource(fileListSource(folder.files));
    });
    drop.addEventListener('dragover', (event) => event.preventDefault());
    drop.addEventListener('drop', (event) => {
      event.preventDefault();
      const files = (event as DragEvent).dataTransfer?.files;
      if (files && files.length > 0) openSource(fileListSource(files));
    });
    syncSampling();
    void shippedIndex().then((index) => {
      const measured = index[SHIPPED_GPT]?.results as { validation?: { perplexity?: number; tokens?: number }; training?: { tokensSeen?: number; seconds?: number } } | undefined;
      if (measured?.validation?.perplexity) {
        results.textContent = `${SHIPPED_GPT}: validation perplexity ${measured.validation.perplexity.toFixed(2)} on ${measured.validation.tokens?.toLocaleString('en')} held-out tokens (chapters 10, 20, …, 130), after ${measured.training?.tokensSeen?.toLocaleString('en')} training tokens in ${Math.round((measured.training?.seconds ?? 0) / 60)} minutes on 2 CPU cores.`;
      }
    }, () => undefined);
    void open(loadShippedGpt, false);
    return () => {
      stopRequested = true;
      version++;
      if (generating) releaseWhenDone = true;
      else release();
    };
  },
};
