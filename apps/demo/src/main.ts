import { backendSwitcher, noticesBox } from './backend/backend-switcher';
import { featureNotices, startBackend } from './backend/start-backend';
import { PAGES } from './pages/registry';
import { h } from './shell/dom';
import { startRouter } from './shell/router';
import './styles.css';

/**
 * Boots the demo: starts a backend (the `?backend=` one, or heed's choice, with fallback), draws
 * the shell (navigation, backend switcher, notices) and routes `#/<page>` to the pages.
 * `document.body.dataset.ready` becomes `true` (or `error`) once the backend is known.
 */
async function main(): Promise<void> {
  const status = document.querySelector<HTMLElement>('#boot-status')!;
  const started = await startBackend();
  const nav = h('nav', { 'aria-label': 'Pages' });
  const list = h('ul');
  for (const page of PAGES) {
    const link = h('a', { href: `#/${page.id}`, 'data-page': page.id }, page.title);
    if (page.status === 'soon') link.append(h('span', { class: 'soon-badge' }, 'soon'));
    list.append(h('li', {}, link));
  }
  nav.append(list);
  const header = document.querySelector<HTMLElement>('#app-header')!;
  header.append(nav, backendSwitcher(started));
  status.replaceWith(noticesBox([...started.notices, ...featureNotices(started.report)]));
  document.body.dataset.ready = 'true';
  startRouter(PAGES, document.querySelector<HTMLElement>('#page')!, nav, { report: started.report });
}

main().catch((error: Error) => {
  const status = document.querySelector<HTMLElement>('#boot-status');
  if (status) {
    status.textContent = `The demo could not start: ${error.message}`;
    status.setAttribute('role', 'alert');
  }
  document.body.dataset.ready = 'error';
});
