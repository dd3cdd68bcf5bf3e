import type { VisionTransformer } from '@heed/models';
import { patchAttentionOverlaySvg } from '@heed/viz';
import { drawingPad } from '../digits/drawing-pad';
import { inkOfRgba, preprocessDigit, type DigitGeometry } from '../digits/preprocess-digit';
import { readDigit, type DigitReading } from '../digits/read-digit';
import { modelStatus, type ModelStatus } from '../models/model-status';
import { shippedIndex } from '../models/shipped-models';
import { h, labeled } from '../shell/dom';
import type { Page } from '../shell/page';
import { PAD_SIZE } from '../digits/drawing-pad';

/** The digit models the page can use, best first, with the preprocessing geometry of their training images. */
const DIGIT_MODELS = [
  { name: 'mnist', label: 'MNIST ViT (28×28)', geometry: { frame: 28, box: 20 } },
  // scikit-learn's 8×8 digits fill their whole frame.
  { name: 'digits', label: 'scikit-learn digits ViT (8×8)', geometry: { frame: 8, box: 8 } },
] as const satisfies readonly { name: 'mnist' | 'digits'; label: string; geometry: DigitGeometry }[];

type DigitModelName = (typeof DIGIT_MODELS)[number]['name'];

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

/** The overlay choices: rollout, then each layer's mean over heads and each head. */
function viewOptions(layers: number, heads: number): HTMLOptionElement[] {
  const options = [h('option', { value: 'rollout' }, 'attention rollout (all layers)')];
  for (let layer = 0; layer < layers; layer++) {
    options.push(h('option', { value: `${layer}:mean` }, `layer ${layer + 1}, mean of ${heads} heads`));
    for (let head = 0; head < heads; head++) options.push(h('option', { value: `${layer}:${head}` }, `layer ${layer + 1}, head ${head + 1}`));
  }
  return options;
}

/** The patch weights of a view of `reading`. */
function viewWeights(reading: DigitReading, view: string): Float32Array {
  if (view === 'rollout') return reading.maps.rollout;
  const [layerText, headText] = view.split(':');
  const perHead = reading.maps.classAttention[Number(layerText)]!;
  if (headText !== 'mean') return perHead[Number(headText)]!;
  const mean = new Float32Array(perHead[0]!.length);
  for (const head of perHead) for (let index = 0; index < mean.length; index++) mean[index]! += head[index]! / perHead.length;
  return mean;
}

/** Page 4: draw a digit → the shipped ViT's reading, its class probabilities and where it looked. */
export const digitsPage: Page = {
  id: 'digits',
  title: 'Digits',
  status: 'ready',
  render(container, { report }) {
    const message = h('p', { id: 'digits-message', role: 'alert', class: 'error', hidden: true });
    const modelSelect = h('select', { id: 'digits-model', name: 'model' });
    const readButton = h('button', { id: 'digits-read', type: 'button', class: 'primary' }, 'Read my digit');
    const clearButton = h('button', { id: 'digits-clear', type: 'button' }, 'Clear');
    const prediction = h('output', { id: 'digits-prediction', class: 'digit-answer' }, '?');
    const bars = h('ol', { id: 'digits-probabilities', class: 'bars', start: 0, 'aria-label': 'Probability of each digit' });
    const inputPreview = h('figure', { id: 'digits-input', 'aria-label': 'What the model sees' });
    const viewSelect = h('select', { id: 'digits-view', name: 'view' });
    const overlay = h('figure', { id: 'digits-overlay', 'aria-label': 'Patch attention over the digit' });
    const statusSlot = h('div');
    let model: VisionTransformer | undefined;
    let geometry: DigitGeometry = DIGIT_MODELS[0].geometry;
    let reading: DigitReading | undefined;
    let input: Float32Array | undefined;
    let version = 0;

    const fail = (text: string) => {
      message.textContent = text;
      message.hidden = false;
      container.dataset.state = 'error';
    };
    const drawOverlay = () => {
      if (!reading || !input) return;
      const [rows, columns] = reading.maps.grid;
      const view = viewSelect.value || 'rollout';
      overlay.innerHTML = patchAttentionOverlaySvg({
        image: { width: geometry.frame, height: geometry.frame, pixels: input, range: 'unit' },
        weights: viewWeights(reading, view),
        grid: [rows, columns],
        size: 280,
        title: `${viewSelect.selectedOptions[0]?.textContent ?? 'rollout'}: class token attention over the ${rows}×${columns} patches`,
      });
    };
    const read = async () => {
      const current = ++version;
      if (!model) return;
      container.dataset.state = 'computing';
      try {
        const preprocessed = preprocessDigit(inkOfRgba(pad.pixels(), PAD_SIZE, PAD_SIZE), PAD_SIZE, PAD_SIZE, geometry);
        const result = await readDigit(model, preprocessed.pixels);
        if (current !== version) return;
        message.hidden = true;
        reading = result;
        input = preprocessed.pixels;
        prediction.textContent = String(result.label);
        bars.replaceChildren(
          ...result.probabilities.map((probability, digit) =>
            h(
              'li',
              { class: digit === result.label ? 'best' : undefined, title: `${digit}: ${percent(probability)}` },
              h('span', { class: 'bar-label' }, String(digit)),
              h('span', { class: 'bar', style: `width: ${Math.max(0.5, probability * 100)}%` }),
              h('span', { class: 'bar-value' }, percent(probability)),
            ),
          ),
        );
        inputPreview.innerHTML = patchAttentionOverlaySvg({
          image: { width: geometry.frame, height: geometry.frame, pixels: input, range: 'unit' },
          weights: new Float32Array(result.maps.grid[0] * result.maps.grid[1]),
          grid: result.maps.grid,
          size: 140,
          opacity: 0,
          legend: false,
          title: `The model's ${geometry.frame}×${geometry.frame} input and its patches`,
        });
        drawOverlay();
        Object.assign(container.dataset, {
          label: String(result.label),
          probabilities: JSON.stringify(result.probabilities),
          input: JSON.stringify(Array.from(input)),
          rollout: JSON.stringify(Array.from(result.maps.rollout)),
          state: 'ready',
        });
      } catch (error) {
        if (current !== version) return;
        reading = undefined;
        prediction.textContent = '?';
        bars.replaceChildren();
        overlay.replaceChildren();
        inputPreview.replaceChildren();
        fail((error as Error).message);
      }
      container.dataset.version = String(current);
    };

    let pad: ReturnType<typeof drawingPad>;
    try {
      pad = drawingPad(() => void read());
    } catch (error) {
      container.append(h('h1', { id: 'page-digits-title' }, 'Digits'), h('p', { class: 'error', role: 'alert' }, (error as Error).message));
      return;
    }
    container.append(
      h('h1', { id: 'page-digits-title' }, 'Digits: what a Vision Transformer looks at'),
      h(
        'p',
        {},
        `Draw one digit. A Vision Transformer of @heed/models cuts the image into patches and reads it with self-attention, here on the ${report.name} backend; `,
        'the overlay shows how much the class token attended to each patch (per layer and head, or rolled out through all layers).',
      ),
      h('div', { class: 'row controls' }, labeled('Model', modelSelect), statusSlot),
      message,
      h(
        'div',
        { class: 'row' },
        h('section', { 'aria-labelledby': 'digits-draw-title' }, h('h2', { id: 'digits-draw-title' }, 'Draw'), pad.canvas, h('p', { class: 'row' }, readButton, clearButton)),
        h(
          'section',
          { 'aria-labelledby': 'digits-answer-title' },
          h('h2', { id: 'digits-answer-title' }, 'Reading'),
          h('p', {}, 'It is a ', prediction),
          bars,
          h('h3', {}, 'Model input'),
          inputPreview,
        ),
        h('section', { 'aria-labelledby': 'digits-overlay-title' }, h('h2', { id: 'digits-overlay-title' }, 'Patch attention'), h('p', {}, labeled('Show', viewSelect)), overlay),
      ),
      h(
        'details',
        { class: 'help' },
        h('summary', {}, 'Preprocessing (as MNIST)'),
        h(
          'p',
          {},
          'The drawing becomes ink values (1 − luminance, so black strokes are 1 and paper 0); its bounding box is scaled by area averaging so that its longer side is 20 pixels (8 for the 8×8 model), keeping the aspect ratio; ',
          'the result is placed in a 28×28 field with its center of mass at the center, values in [0, 1] — how the MNIST digits were normalized (LeCun et al.). An empty canvas is refused.',
        ),
      ),
    );

    let status: ModelStatus<DigitModelName> | undefined;
    const useModel = async (name: DigitModelName) => {
      const choice = DIGIT_MODELS.find((candidate) => candidate.name === name)!;
      status = modelStatus(name, `${choice.label} model`, (vit, results) => {
        const accuracy = (results?.metrics as { accuracy?: number } | undefined)?.accuracy;
        return `Loaded the ${choice.label} (${vit.countParams().toLocaleString('en')} parameters, ${vit.config.depth} layers × ${vit.config.heads} heads${accuracy === undefined ? '' : `, ${percent(accuracy)} test accuracy`}).`;
      });
      statusSlot.replaceChildren(status.element);
      model = undefined;
      geometry = choice.geometry;
      readButton.disabled = true;
      container.dataset.state = 'loading';
      try {
        model = await status.load();
      } catch {
        container.dataset.state = 'error';
        return;
      }
      viewSelect.replaceChildren(...viewOptions(model.config.depth, model.config.heads));
      readButton.disabled = false;
      container.dataset.model = name;
      container.dataset.state = 'idle';
      if (reading) await read();
    };

    readButton.addEventListener('click', () => void read());
    clearButton.addEventListener('click', () => {
      pad.clear();
      version++;
      reading = undefined;
      prediction.textContent = '?';
      bars.replaceChildren();
      overlay.replaceChildren();
      inputPreview.replaceChildren();
      message.hidden = true;
      if (model) container.dataset.state = 'idle';
    });
    viewSelect.addEventListener('change', drawOverlay);
    modelSelect.addEventListener('change', () => void useModel(modelSelect.value as DigitModelName));
    container.dataset.state = 'loading';
    void shippedIndex()
      .then((models) => {
        const available = DIGIT_MODELS.filter((choice) => models[choice.name] !== undefined);
        if (available.length === 0) {
          modelSelect.disabled = readButton.disabled = true;
          fail('No digit model is available: this build of the demo ships neither the mnist nor the digits weights (packages/models/weights/).');
          return;
        }
        modelSelect.replaceChildren(...available.map((choice) => h('option', { value: choice.name }, choice.label)));
        return useModel(available[0]!.name);
      })
      .catch((error: Error) => fail(error.message));
  },
};
