import { SEQ2SEQ_ATTENTIONS, type Seq2SeqAttention } from '@heed/models';
import { attentionHeatmapSvg, createTrainingCurvesChart } from '@heed/viz';
import '@heed/viz/uplot.css';
import { datesTask } from '../dates/dates-data';
import { urlWithBackend } from '../backend/backend-switcher';
import { DatesTrainer } from '../dates/dates-trainer';
import { h, labeled } from '../shell/dom';
import type { Page } from '../shell/page';

/** How often (in steps) the alignment is redrawn and the held-out accuracy measured. */
const ALIGN_EVERY = 10;
const ACCURACY_EVERY = 50;

/** Page 2: train a date normalizer with attention live in the tab. */
export const datesPage: Page = {
  id: 'dates',
  title: 'Dates',
  status: 'ready',
  render(container, { report }) {
    const task = datesTask();
    const stepsPerEpoch = Math.ceil(task.train.length / 32);
    const attentionSelect = h(
      'select',
      { id: 'dates-attention', name: 'attention' },
      ...SEQ2SEQ_ATTENTIONS.map((name) => h('option', { value: name, selected: name === 'bahdanau' }, name)),
    );
    const trainButton = h('button', { id: 'dates-train', type: 'button', class: 'primary' }, 'Train');
    const saveButton = h('button', { id: 'dates-save', type: 'button' }, 'Save to this browser');
    const loadButton = h('button', { id: 'dates-load', type: 'button' }, 'Load from this browser');
    const progress = h('progress', { id: 'dates-progress', max: stepsPerEpoch, value: 0, 'aria-label': 'Progress through the current epoch' });
    const status = h('output', { id: 'dates-status', 'aria-live': 'polite' }, 'Not trained yet: press Train.');
    const message = h('p', { id: 'dates-message', role: 'alert', class: 'error', hidden: true });
    const sample = h('input', { id: 'dates-input', type: 'text', size: 28, value: 'Tuesday, 4 March 2014' });
    const prediction = h('output', { id: 'dates-prediction', for: 'dates-input' }, '…');
    const alignment = h('figure', { id: 'dates-alignment', 'aria-label': 'Alignment of output and input characters' });
    const curves = h('div', { id: 'dates-curves' });
    const noIndexedDb = typeof indexedDB === 'undefined';
    saveButton.disabled = loadButton.disabled = noIndexedDb;
    container.append(
      h('h1', { id: 'page-dates-title' }, 'Dates: train a seq2seq model live'),
      h(
        'p',
        {},
        `@heed/models' Seq2Seq (a character encoder–decoder with attention) learns to turn human-written dates into ISO dates, in this tab on the ${report.name} backend. `,
        `Data: @heed/models' seeded dates task (${task.train.length.toLocaleString('en')} training examples, 15 formats). Pick the attention before training; changing it starts a fresh model.`,
      ),
      h('div', { class: 'row' }, labeled('Attention', attentionSelect), trainButton, saveButton, loadButton, progress, status),
      ...(report.name !== 'wasm'
        ? [
            h(
              'p',
              { class: 'notice', id: 'dates-backend-tip' },
              `Tip: this small recurrent model runs many tiny ops per step, which is usually fastest on the wasm backend (a GPU backend pays a launch cost per op). `,
              h('a', { href: urlWithBackend('wasm') }, 'Switch to wasm'),
              '.',
            ),
          ]
        : []),
      ...(noIndexedDb ? [h('p', { class: 'notice' }, 'IndexedDB is unavailable in this browser: saving and loading are off.')] : []),
      message,
      h(
        'div',
        { class: 'row' },
        h('section', { 'aria-labelledby': 'dates-curve-title' }, h('h2', { id: 'dates-curve-title' }, 'Loss'), curves),
        h(
          'section',
          { 'aria-labelledby': 'dates-alignment-title' },
          h('h2', { id: 'dates-alignment-title' }, 'Alignment'),
          h('p', {}, labeled('Date', sample), ' → ', prediction),
          alignment,
        ),
      ),
    );
    // Right axis, 0–1: the attention peak (mean over output characters of the largest weight: 1/S
    // when attention is uniform, 1 when it is a hard alignment) shows the sharpening.
    const chart = createTrainingCurvesChart(curves, {
      width: 460,
      height: 260,
      xLabel: 'step',
      leftLabel: 'cross-entropy',
      rightLabel: 'attention peak · exact match',
      series: [{ name: 'loss' }, { name: 'attention peak', axis: 'right', dashed: true }, { name: 'exact match', axis: 'right' }],
    });
    let accuracy: number | undefined;
    let secondsPerStep: number | undefined;
    let lastStepAt: number | undefined;

    const fail = (error: unknown) => {
      message.textContent = (error as Error).message;
      message.hidden = false;
    };
    const showStatus = (trainer: DatesTrainer) => {
      const last = trainer.losses.at(-1);
      progress.value = trainer.step % stepsPerEpoch;
      status.textContent =
        `step ${trainer.step} · epoch ${Math.floor(trainer.step / stepsPerEpoch) + 1}` +
        (last === undefined ? '' : ` · loss ${last.toFixed(3)}`) +
        (secondsPerStep === undefined ? '' : ` · ${secondsPerStep.toFixed(2)} s/step`) +
        (accuracy === undefined ? '' : ` · held-out exact match ${(accuracy * 100).toFixed(0)}%`);
      container.dataset.step = String(trainer.step);
      container.dataset.losses = JSON.stringify(trainer.losses);
    };
    const drawAlignment = async (trainer: DatesTrainer) => {
      try {
        const result = await trainer.align(sample.value);
        prediction.textContent = result.output || '(nothing yet)';
        alignment.innerHTML = attentionHeatmapSvg({
          weights: result.weights,
          rowLabels: result.outputTokens,
          columnLabels: result.inputTokens,
          title: `${trainer.attention} attention of each output character over “${result.input}” at step ${trainer.step}${trainer.attention === 'transformer' ? ' (mean over heads)' : ''}`,
        });
        alignment.dataset.step = String(trainer.step);
        const peak = result.weights.reduce((sum, row) => sum + Math.max(...row), 0) / Math.max(1, result.weights.length);
        alignment.dataset.peak = peak.toFixed(4);
        if (trainer.step > 0 && trainer.isRunning) chart.push(trainer.step, { 'attention peak': peak });
      } catch (error) {
        prediction.textContent = '';
        alignment.replaceChildren(h('p', { class: 'error', role: 'alert' }, (error as Error).message));
      }
    };

    const trainer = new DatesTrainer(task, attentionSelect.value as Seq2SeqAttention, async (current) => {
      const now = performance.now();
      if (lastStepAt !== undefined) secondsPerStep = 0.8 * (secondsPerStep ?? (now - lastStepAt) / 1000) + 0.2 * ((now - lastStepAt) / 1000);
      lastStepAt = now;
      chart.push(current.step, { loss: current.losses.at(-1)! });
      if (current.step % ACCURACY_EVERY === 0) {
        accuracy = await current.accuracy();
        chart.push(current.step, { 'exact match': accuracy });
      }
      showStatus(current);
      if (current.step % ALIGN_EVERY === 0) await drawAlignment(current);
    });
    const setState = (state: 'idle' | 'training' | 'stopped' | 'busy') => {
      container.dataset.state = state;
      trainButton.textContent = state === 'training' ? 'Stop' : trainer.step > 0 ? 'Resume' : 'Train';
      trainButton.setAttribute('aria-pressed', String(state === 'training'));
      saveButton.disabled = noIndexedDb || state !== 'stopped';
      loadButton.disabled = noIndexedDb || state === 'training' || state === 'busy';
      trainButton.disabled = state === 'busy';
      attentionSelect.disabled = state === 'training' || state === 'busy';
      attentionSelect.value = trainer.attention;
    };
    attentionSelect.addEventListener('change', () => {
      trainer.reset(attentionSelect.value as Seq2SeqAttention);
      chart.setData({ steps: [], series: [{ name: 'loss', values: [] }] }); // a fresh model: an empty curve
      accuracy = undefined;
      showStatus(trainer);
      status.textContent = `Fresh ${trainer.attention} model (${trainer.parameterCount.toLocaleString('en')} parameters): press Train.`;
      setState('idle');
      void drawAlignment(trainer);
    });

    trainButton.addEventListener('click', () => {
      if (trainer.isRunning) {
        void trainer.stop();
        return;
      }
      message.hidden = true;
      lastStepAt = undefined;
      setState('training');
      trainer
        .start()
        .catch(fail)
        .finally(() => {
          setState('stopped');
          void drawAlignment(trainer);
        });
    });
    saveButton.addEventListener('click', () => {
      setState('busy');
      trainer
        .save()
        .then(() => (status.textContent = `Saved at step ${trainer.step} to IndexedDB.`))
        .catch(fail)
        .finally(() => setState('stopped'));
    });
    loadButton.addEventListener('click', () => {
      setState('busy');
      message.hidden = true;
      trainer
        .load()
        .then(async () => {
          chart.setData({ steps: trainer.steps, series: [{ name: 'loss', values: trainer.losses }] });
          accuracy = undefined;
          showStatus(trainer);
          status.textContent += ' (loaded from IndexedDB)';
          await drawAlignment(trainer);
          setState('stopped');
        })
        .catch((error) => {
          fail(error);
          setState(trainer.step > 0 ? 'stopped' : 'idle');
        });
    });
    sample.addEventListener('change', () => void drawAlignment(trainer));
    setState('idle');
    status.textContent = `Untrained ${trainer.attention} model (${trainer.parameterCount.toLocaleString('en')} parameters): press Train.`;
    container.dataset.step = '0';
    void drawAlignment(trainer);
    // Leaving the page: finish the current step, then free the model and the chart.
    return () => {
      void trainer.stop().then(() => {
        trainer.dispose();
        chart.destroy();
      });
    };
  },
};
