import type { BackendName } from '@heed/backends';
import { h, labeled } from '../shell/dom';
import { SWITCHER_BACKENDS, type StartedBackend } from './start-backend';

/** The URL of this page with `?backend=` set to `backend` (or removed for automatic), hash kept. */
export function urlWithBackend(backend: BackendName | 'auto', href = location.href): string {
  const url = new URL(href);
  if (backend === 'auto') url.searchParams.delete('backend');
  else url.searchParams.set('backend', backend);
  return url.toString();
}

/**
 * The backend switcher: a select (automatic or one backend), the active backend, heed's
 * `initBackend` report and the notices. Choosing a backend reloads the page with `?backend=`, so
 * every page starts on a clean backend (tfjs keeps tensors per backend).
 */
export function backendSwitcher(started: StartedBackend): HTMLElement {
  const select = h('select', { id: 'backend-select', name: 'backend' });
  for (const value of ['auto', ...SWITCHER_BACKENDS] as const) {
    const option = h('option', { value }, value === 'auto' ? 'automatic (best available)' : value);
    option.selected = value === (started.preferred ?? 'auto');
    select.append(option);
  }
  select.addEventListener('change', () => location.assign(urlWithBackend(select.value as BackendName | 'auto')));
  const report = h('pre', { id: 'report' }, JSON.stringify(started.report, null, 2));
  return h(
    'div',
    { class: 'backend-switcher' },
    labeled('Backend', select),
    h('span', {}, ' running on ', h('output', { id: 'backend', for: 'backend-select' }, started.report.name)),
    h('details', {}, h('summary', {}, 'initBackend report'), report),
  );
}

/** The notices box (`role="status"`), empty and hidden when there is nothing to say. */
export function noticesBox(notices: readonly string[]): HTMLElement {
  const box = h('div', { id: 'notices', role: 'status', 'aria-live': 'polite' });
  box.hidden = notices.length === 0;
  for (const notice of notices) box.append(h('p', { class: 'notice' }, notice));
  return box;
}
