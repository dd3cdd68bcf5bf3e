import { h } from '../shell/dom';
import { loadShipped, shippedEntry, type ShippedModels, type ShippedName } from './shipped-models';

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** A model's loading line: a progress bar while its weights download, then what was loaded, or the error. */
export interface ModelStatus<Name extends ShippedName> {
  /** `<div class="model-status" data-state="loading|ready|error">`. */
  element: HTMLElement;
  /** Loads (or reuses) the model, showing progress; rejects with the error it shows. */
  load(): Promise<ShippedModels[Name]>;
}

/**
 * The loading line of shipped model `name` (what `describe` says once it is loaded, e.g. its
 * parameters and test score). `element.dataset.state` is `loading`, `ready` or `error`, for tests.
 */
export function modelStatus<Name extends ShippedName>(name: Name, what: string, describe: (model: ShippedModels[Name], results: Record<string, unknown> | undefined) => string): ModelStatus<Name> {
  const progress = h('progress', { max: 1, value: 0, 'aria-label': `Downloading the ${what}` });
  const text = h('span', {}, `Loading the ${what}…`);
  const element = h('div', { class: 'model-status', id: `model-${name}`, role: 'status', 'data-state': 'loading' }, progress, ' ', text);
  return {
    element,
    async load() {
      element.dataset.state = 'loading';
      element.classList.remove('error');
      element.removeAttribute('role');
      element.setAttribute('role', 'status');
      progress.hidden = false;
      try {
        const entry = await shippedEntry(name);
        const size = entry ? ` (${megabytes(entry.bytes)})` : '';
        text.textContent = `Loading the ${what}${size}…`;
        const model = await loadShipped(name, ({ loaded, total }) => {
          progress.value = total > 0 ? loaded / total : 0;
          text.textContent = `Loading the ${what}: ${megabytes(loaded)}${total > 0 ? ` of ${megabytes(total)}` : ''}…`;
        });
        progress.hidden = true;
        text.textContent = describe(model, entry?.results);
        element.dataset.state = 'ready';
        return model;
      } catch (error) {
        progress.hidden = true;
        text.textContent = (error as Error).message;
        element.classList.add('error');
        element.setAttribute('role', 'alert');
        element.dataset.state = 'error';
        throw error;
      }
    },
  };
}
