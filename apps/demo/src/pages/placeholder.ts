import { h } from '../shell/dom';
import type { Page } from '../shell/page';

/** What a coming-soon page will show, and what it waits for. */
export interface PlaceholderSpec {
  id: string;
  title: string;
  /** One sentence: what the page will do. */
  summary: string;
  /** What the finished page shows, one item each. */
  features: readonly string[];
  /** What is missing today (e.g. the model with shipped weights). */
  waitingFor: string;
}

/** A clearly labeled "coming soon" page: never blank, says what will come and what it waits for. */
export function placeholderPage(spec: PlaceholderSpec): Page {
  return {
    id: spec.id,
    title: spec.title,
    status: 'soon',
    render(container) {
      container.classList.add('placeholder');
      container.append(
        h('h1', { id: `page-${spec.id}-title` }, spec.title, ' ', h('span', { class: 'soon-badge' }, 'coming soon')),
        h('p', {}, spec.summary),
        h('h2', {}, 'What this page will show'),
        h('ul', {}, ...spec.features.map((feature) => h('li', {}, feature))),
        h('p', { class: 'notice', role: 'note' }, `Not available yet: ${spec.waitingFor}`),
      );
    },
  };
}
