/** Attributes of {@link h}: strings set as attributes, `on…` functions as listeners. */
export type Attributes = Record<string, string | number | boolean | undefined | ((event: Event) => void)>;

/**
 * Creates an element: `h('button', { type: 'button', onclick: go }, 'Go')`. The whole app uses
 * this instead of a UI framework (see README): a handful of pages, no shared reactive state.
 * Children that are strings become text nodes (never parsed as HTML).
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: (Node | string | undefined)[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) if (child !== undefined) element.append(child);
  return element;
}

/** A labeled form control: `<label>text <control></label>`. */
export function labeled(text: string, control: HTMLElement): HTMLLabelElement {
  return h('label', {}, `${text} `, control);
}

/** Shows `message` in a `role="alert"` box inside `container` (replacing any earlier one). */
export function showError(container: HTMLElement, message: string): void {
  container.querySelector(':scope > .error')?.remove();
  container.prepend(h('p', { class: 'error', role: 'alert' }, message));
}
