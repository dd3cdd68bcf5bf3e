import type { Page, PageContext } from './page';
import { showError } from './dom';

/** The page id of a location hash: `#/dates` → `dates`; anything else → the first page. */
export function pageIdOf(hash: string, pages: readonly Page[]): string {
  const id = hash.replace(/^#\/?/, '');
  return pages.some((page) => page.id === id) ? id : pages[0]!.id;
}

/**
 * Hash routing over `pages`: shows the page of `location.hash` in `outlet`, runs the previous
 * page's cleanup, marks the current navigation link, and sets `document.body.dataset.page`
 * (`<id>` when rendered, for tests and screenshots).
 */
export function startRouter(pages: readonly Page[], outlet: HTMLElement, nav: HTMLElement, context: PageContext): void {
  let cleanup: (() => void) | undefined;
  let generation = 0;
  const show = async (moveFocus: boolean) => {
    const id = pageIdOf(location.hash, pages);
    const page = pages.find((candidate) => candidate.id === id)!;
    const current = ++generation;
    cleanup?.();
    cleanup = undefined;
    delete document.body.dataset.page;
    for (const link of nav.querySelectorAll('a')) {
      if (link.dataset.page === id) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    const section = document.createElement('section');
    section.id = `page-${id}`;
    section.setAttribute('aria-labelledby', `page-${id}-title`);
    outlet.replaceChildren(section);
    document.title = `${page.title} · heed demo`;
    try {
      const result = await page.render(section, context);
      if (current !== generation) {
        if (typeof result === 'function') result();
        return;
      }
      if (typeof result === 'function') cleanup = result;
    } catch (error) {
      showError(section, `This page failed to start: ${(error as Error).message}`);
    }
    if (current !== generation) return;
    document.body.dataset.page = id;
    // After a navigation, screen readers and keyboards continue at the new page's heading.
    const heading = section.querySelector<HTMLElement>('h1');
    if (moveFocus && heading) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
    }
  };
  window.addEventListener('hashchange', () => void show(true));
  void show(false);
}
