import * as tf from '@tensorflow/tfjs';
import {
  fileListSource, fromPretrained, loadHfImageProcessor, loadHfTokenizer, urlSource,
  type CheckpointSource, type HfImageProcessor, type HfModel, type HfModelInputs, type HfTokenizer,
} from '@heed/models';
import { attentionHeadsGridSvg, attentionRollout, headViewSvg, patchAttentionOverlaySvg } from '@heed/viz';
import { h, labeled } from '../shell/dom';
import type { Page } from '../shell/page';
import { fineTuneInTab, lossChart, parseLabelledLines, pretrainedFiles, readTokenizerFiles } from './hf-fine-tune-panel';

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
const softmax = (row: readonly number[]) => {
  const top = Math.max(...row);
  const exp = row.map((value) => Math.exp(value - top));
  const total = exp.reduce((a, b) => a + b, 0);
  return exp.map((value) => value / total);
};

/** What a loaded checkpoint brings: the model and, per family, its tokenizer or image processor. */
interface Loaded {
  model: HfModel;
  tokenizer?: HfTokenizer;
  /** The tokenizer files as loaded, saved beside a fine-tuned model. */
  tokenizerFiles?: Array<[string, string]>;
  processor?: HfImageProcessor;
}

/** An image file → RGBA pixels, through the browser's decoder. */
async function decodeImage(file: Blob): Promise<ImageData> {
  const bitmap = await createImageBitmap(file);
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d')!;
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  return context.getImageData(0, 0, canvas.width, canvas.height);
}

/**
 * Page: a Hugging Face checkpoint (a base URL in the Hub's layout, or a dropped folder) run in
 * this tab: classify a text or an image, fill a [MASK], and see every layer's attention (a head
 * view, the model view of all heads, the rollout from [CLS]).
 */
export const hfPage: Page = {
  id: 'hf',
  title: 'Hugging Face',
  status: 'ready',
  render(container, { report }) {
    const url = h('input', { id: 'hf-url', name: 'url', type: 'url', size: 60, placeholder: 'https://huggingface.co/<id>/resolve/main' });
    const load = h('button', { id: 'hf-load', type: 'button', class: 'primary' }, 'Load');
    const folder = h('input', { id: 'hf-folder', name: 'folder', type: 'file', multiple: true, webkitdirectory: true });
    const drop = h('div', { id: 'hf-drop', class: 'notice' }, 'or drop a checkpoint folder (config.json, model.safetensors, tokenizer.json, …) here');
    const status = h('output', { id: 'hf-status', 'aria-live': 'polite' }, 'No checkpoint loaded.');
    const message = h('p', { id: 'hf-message', role: 'alert', class: 'error', hidden: true });
    const text = h('textarea', { id: 'hf-text', name: 'text', rows: 3, cols: 70, spellcheck: false }, 'This film was not very good.');
    const classify = h('button', { id: 'hf-classify', type: 'button', class: 'primary' }, 'Run');
    const textSection = h('section', { id: 'hf-text-section', hidden: true }, h('p', {}, text), h('p', {}, classify));
    const pasted = h('textarea', { id: 'hf-train', name: 'train', rows: 8, cols: 70, spellcheck: false, placeholder: 'positive\tA wonderful, moving film.\nA dull and tedious film.,negative' });
    const epochsInput = h('input', { id: 'hf-epochs', name: 'epochs', type: 'number', min: 1, step: 1, value: '2', size: 4 });
    const lrInput = h('input', { id: 'hf-lr', name: 'lr', type: 'number', min: 0, step: 'any', value: '0.0005', size: 8 });
    const fineTune = h('button', { id: 'hf-fine-tune', type: 'button', class: 'primary' }, 'Fine-tune');
    const trainStatus = h('output', { id: 'hf-train-status', 'aria-live': 'polite' });
    const curve = h('div', { id: 'hf-curve', 'aria-label': 'Training loss per step' });
    const save = h('button', { id: 'hf-save', type: 'button', disabled: true }, 'Save the fine-tuned model');
    const downloads = h('ul', { id: 'hf-downloads', 'aria-label': 'Files of the fine-tuned model' });
    const trainSection = h(
      'section',
      { id: 'hf-train-section', hidden: true },
      h('h2', {}, 'Fine-tune in this tab'),
      h('p', {}, 'One example a line: label<TAB>text or text,label (labels as in config.json). AdamW, linear warmup and decay, clipping at 1.0; the Run box then uses the fine-tuned model.'),
      h('p', {}, pasted),
      h('p', { class: 'row' }, labeled('Epochs', epochsInput), labeled('Learning rate', lrInput), fineTune, trainStatus),
      curve,
      h('p', {}, save, ' in the Hugging Face layout: a download link for config.json, model.safetensors and each tokenizer file; put them in one folder and load it here, in heed (fromPretrained) or in PyTorch (from_pretrained).'),
      downloads,
    );
    const image = h('input', { id: 'hf-image', name: 'image', type: 'file', accept: 'image/*' });
    const imageSection = h('section', { id: 'hf-image-section', hidden: true }, h('p', {}, labeled('Image', image)));
    const bars = h('ol', { id: 'hf-labels', class: 'bars', 'aria-label': 'Probability of each label' });
    const masks = h('ul', { id: 'hf-masks' });
    const layerSelect = h('select', { id: 'hf-layer', name: 'layer' });
    const headView = h('figure', { id: 'hf-head-view', 'aria-label': 'Head view' });
    const modelView = h('figure', { id: 'hf-model-view', 'aria-label': 'All heads of the layer' });
    const rollout = h('figure', { id: 'hf-rollout', 'aria-label': 'Attention rollout from [CLS]' });
    const outputs = h(
      'section',
      { id: 'hf-outputs', hidden: true },
      h('h2', {}, 'Prediction'), bars, masks,
      h('h2', {}, 'Attention'),
      h('p', {}, 'Every layer returns its softmax weights (batch, heads, query, key). ', labeled('Layer', layerSelect)),
      headView, modelView,
      h('h3', {}, 'Rollout from [CLS] over all layers (heads averaged)'), rollout,
    );
    container.append(
      h('h1', { id: 'page-hf-title' }, 'Hugging Face checkpoints in the browser'),
      h('p', {}, `BERT, RoBERTa, DistilBERT and ViT checkpoints (safetensors) load into @heed/models and run on the ${report.name} backend in this tab; downloads stay in the browser's cache for the next visit.`),
      h('p', { class: 'row' }, labeled('Base URL', url), load),
      h('p', { class: 'row' }, labeled('Folder', folder)),
      drop, h('p', {}, status), message, textSection, trainSection, imageSection, outputs,
    );

    let loaded: Loaded | undefined;
    let version = 0;
    let attentions: { weights: Float32Array; shape: [number, number, number, number]; tokens: string[] } | undefined;
    let pixels: ImageData | undefined;
    const fail = (error: unknown) => {
      message.textContent = (error as Error).message;
      message.hidden = false;
      container.dataset.state = 'error';
    };
    const chart = lossChart(curve);
    let training = false;
    let links: string[] = [];
    const clearDownloads = () => {
      for (const link of links) URL.revokeObjectURL(link);
      links = [];
      downloads.replaceChildren();
      save.disabled = true;
    };
    const dispose = () => {
      clearDownloads();
      loaded?.model.dispose();
      loaded = undefined;
    };

    const drawLayer = () => {
      if (!attentions) return;
      const { weights, shape, tokens } = attentions;
      const layer = Number(layerSelect.value);
      const title = `Layer ${layer}`;
      headView.innerHTML = headViewSvg({ weights, shape, layer, tokens, title: `${title}: every head (query → key)` });
      modelView.innerHTML = attentionHeadsGridSvg({ weights, shape, layer, rowLabels: tokens, columnLabels: tokens, title: `${title}: one heatmap per head` });
    };

    const run = async (inputs: () => { inputs: HfModelInputs; tokens: string[]; ids?: number[] }) => {
      if (!loaded) return;
      const current = ++version;
      container.dataset.state = 'computing';
      message.hidden = true;
      try {
        const { model, tokenizer } = loaded;
        const prepared = inputs();
        const output = model.forward(prepared.inputs, { outputAttentions: true });
        tf.dispose(Object.values(prepared.inputs) as tf.Tensor[]);
        const layers = output.attentions!;
        const stacked = tf.concat([...layers], 0); // (layers, heads, T, T)
        const weights = (await stacked.data()) as Float32Array;
        const logits = output.logits ? ((await output.logits.array()) as number[][] | number[][][]) : undefined;
        tf.dispose([stacked, ...(Object.values(output).flat() as tf.Tensor[])]);
        if (current !== version) return;
        const shape = [layers.length, layers[0]!.shape[1], layers[0]!.shape[2], layers[0]!.shape[3]] as [number, number, number, number];
        attentions = { weights, shape, tokens: prepared.tokens };
        bars.replaceChildren();
        masks.replaceChildren();
        let probabilities: number[] = [];
        if (logits && /(?:Sequence|Image)Classification$/.test(model.architecture)) {
          probabilities = softmax((logits as number[][])[0]!);
          const best = probabilities.indexOf(Math.max(...probabilities));
          bars.replaceChildren(...probabilities.map((probability, index) => {
            const label = model.config.id2label[index] ?? `LABEL_${index}`;
            return h('li', { class: index === best ? 'best' : undefined, title: `${label}: ${percent(probability)}` }, h('span', { class: 'bar-label wide' }, label), h('span', { class: 'bar', style: `width: ${Math.max(0.5, probability * 100)}%` }), h('span', { class: 'bar-value' }, percent(probability)));
          }));
        } else if (logits && model.architecture.endsWith('MaskedLM') && tokenizer && prepared.ids) {
          const maskId = tokenizer.tokenizer.tokenToId('[MASK]') ?? tokenizer.tokenizer.tokenToId('<mask>');
          prepared.ids.forEach((id, position) => {
            if (id !== maskId) return;
            const scores = softmax((logits as number[][][])[0]![position]!).map((score, token) => ({ score, token })).sort((a, b) => b.score - a.score).slice(0, 5);
            masks.append(h('li', {}, `[MASK] at token ${position}: `, scores.map(({ score, token }) => `${tokenizer.tokenizer.idToToken(token)} ${percent(score)}`).join(', ')));
          });
        }
        layerSelect.replaceChildren(...Array.from({ length: shape[0] }, (_, layer) => h('option', { value: layer }, String(layer))));
        layerSelect.value = String(shape[0] - 1);
        drawLayer();
        const cls = attentionRollout({ weights, shape }).values.subarray(0, shape[2]);
        if (pixels && model.config.model_type === 'vit') {
          const side = model.config.image_size / model.config.patch_size;
          rollout.innerHTML = patchAttentionOverlaySvg({ image: { width: pixels.width, height: pixels.height, channels: 4, pixels: pixels.data, range: 'byte' }, weights: Array.from(cls.subarray(1)), grid: [side, side], title: 'Rollout from [CLS] to each patch' });
        } else {
          rollout.innerHTML = attentionHeadsGridSvg({ weights: [Array.from(cls)], rowLabels: ['[CLS]'], columnLabels: prepared.tokens, title: 'Rollout from [CLS] to each token' });
        }
        outputs.hidden = false;
        Object.assign(container.dataset, { state: 'ready', probabilities: JSON.stringify(probabilities), attention: JSON.stringify({ shape, weights: Array.from(weights) }), tokens: JSON.stringify(prepared.tokens) });
      } catch (error) {
        if (current === version) fail(error);
      }
      container.dataset.version = String(current);
    };

    const runText = () => run(() => {
      const tokenizer = loaded!.tokenizer;
      if (!tokenizer) throw new Error('This checkpoint has no tokenizer.json: a text needs one.');
      if (text.value.trim() === '') throw new Error('Type a text to run the model on.');
      const batch = tokenizer.encode(text.value, { padding: false });
      return { inputs: tokenizer.toTensors(batch), tokens: batch.tokens[0]!, ids: batch.input_ids[0]! };
    });
    const runImage = async () => {
      const file = image.files?.[0];
      if (!file || !loaded?.processor) return;
      try {
        pixels = await decodeImage(file);
      } catch (error) {
        fail(new Error(`${file.name}: the browser cannot decode this image (${(error as Error).message})`));
        return;
      }
      const rgba = pixels;
      const side = loaded.model.config.model_type === 'vit' ? loaded.model.config.image_size / loaded.model.config.patch_size : 0;
      await run(() => ({ inputs: { pixel_values: loaded!.processor!.preprocess({ width: rgba.width, height: rgba.height, data: rgba.data }) }, tokens: ['[CLS]', ...Array.from({ length: side * side }, (_, index) => `patch ${index}`)] }));
    };

    const open = async (source: CheckpointSource) => {
      dispose();
      version++;
      container.dataset.state = 'loading';
      message.hidden = true;
      outputs.hidden = textSection.hidden = imageSection.hidden = trainSection.hidden = true;
      status.textContent = `Loading ${source.location}…`;
      try {
        const model = await fromPretrained(source, { onWarning: (warning) => console.warn(warning) });
        loaded = { model };
        if (model.config.model_type === 'vit') {
          loaded.processor = await loadHfImageProcessor(source, { imageSize: model.config.image_size, onWarning: (warning) => console.warn(warning) });
        } else if (await source.has('tokenizer.json')) {
          loaded.tokenizer = await loadHfTokenizer(source);
          // Only the files loadHfTokenizer found (tokenizer_config.json is optional): nothing asks for a missing file.
          const present = ['tokenizer.json', ...((await source.has('tokenizer_config.json')) ? ['tokenizer_config.json'] : [])];
          loaded.tokenizerFiles = await readTokenizerFiles(source, present);
        }
        const parameters = model.weights.reduce((total, weight) => total + weight.variable.size, 0);
        status.textContent = `Loaded ${model.architecture} from ${source.location}: ${parameters.toLocaleString('en')} parameters${loaded.tokenizer ? `, tokenizer (${loaded.tokenizer.vocabSize} tokens)` : ''}.`;
        Object.assign(container.dataset, { architecture: model.architecture, state: 'loaded' });
        if (model.config.model_type === 'vit') imageSection.hidden = false;
        else {
          textSection.hidden = false;
          trainSection.hidden = !(loaded.tokenizer && model.architecture.endsWith('SequenceClassification'));
          await runText();
        }
      } catch (error) {
        dispose();
        status.textContent = 'No checkpoint loaded.';
        fail(error);
      }
    };

    load.addEventListener('click', () => {
      if (url.value.trim() === '') return fail(new Error('Give the base URL of a checkpoint, e.g. https://huggingface.co/<id>/resolve/main.'));
      void open(urlSource(url.value.trim(), { onProgress: ({ file, loaded: bytes, total }) => (status.textContent = `Downloading ${file}: ${bytes.toLocaleString('en')}${total ? ` of ${total.toLocaleString('en')}` : ''} bytes…`) }));
    });
    folder.addEventListener('change', () => {
      if (folder.files && folder.files.length > 0) void open(fileListSource(folder.files));
    });
    drop.addEventListener('dragover', (event) => event.preventDefault());
    drop.addEventListener('drop', (event) => {
      event.preventDefault();
      const files = (event as DragEvent).dataTransfer?.files;
      if (files && files.length > 0) void open(fileListSource(files));
    });
    classify.addEventListener('click', () => void runText());
    fineTune.addEventListener('click', () => {
      const target = loaded;
      if (!target?.tokenizer || training) return;
      void (async () => {
        training = true;
        fineTune.disabled = load.disabled = true;
        clearDownloads();
        message.hidden = true;
        container.dataset.training = 'running';
        const steps: number[] = [];
        const losses: number[] = [];
        chart.setData({ steps: [], series: [{ name: 'loss', values: [] }] });
        try {
          const examples = parseLabelledLines(pasted.value, target.model.config.id2label);
          await fineTuneInTab(target.model, target.tokenizer!, examples, {
            epochs: Number(epochsInput.value),
            learningRate: Number(lrInput.value),
            onStep: (step, loss) => {
              steps.push(step);
              losses.push(loss);
              chart.push(step, { loss });
              trainStatus.textContent = `step ${step} · loss ${loss.toFixed(4)}`;
              container.dataset.losses = JSON.stringify(losses);
            },
          });
          trainStatus.textContent = `Fine-tuned on ${examples.length} examples: ${steps.length} steps, loss ${losses[0]!.toFixed(4)} → ${losses.at(-1)!.toFixed(4)}.`;
          container.dataset.training = 'done';
          save.disabled = false;
          if (loaded === target) await runText();
        } catch (error) {
          container.dataset.training = 'error';
          fail(error);
        } finally {
          training = false;
          fineTune.disabled = load.disabled = false;
        }
      })();
    });
    save.addEventListener('click', () => {
      const target = loaded;
      if (!target || training) return;
      void (async () => {
        save.disabled = true;
        try {
          const files = await pretrainedFiles(target.model, target.tokenizerFiles ?? []);
          if (loaded !== target) return;
          clearDownloads();
          container.dataset.saved = String(files.length);
          downloads.append(...files.map((file) => {
            const href = URL.createObjectURL(file);
            links.push(href);
            return h('li', {}, h('a', { href, download: file.name, class: 'download' }, file.name), ` (${file.size.toLocaleString('en')} bytes)`);
          }));
        } catch (error) {
          fail(error);
        } finally {
          save.disabled = loaded !== target;
        }
      })();
    });
    image.addEventListener('change', () => void runImage());
    layerSelect.addEventListener('change', drawLayer);
    container.dataset.state = 'idle';
    return () => {
      dispose();
      chart.destroy();
    };
  },
};
