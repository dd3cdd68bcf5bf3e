import type { BackendReport } from '@heed/backends';

/** What every page gets when it is shown. */
export interface PageContext {
  /** The backend tfjs runs on, as `initBackend` reported it. */
  report: BackendReport;
}

/** One page of the demo, shown at `#/<id>`. */
export interface Page {
  id: string;
  /** Link text in the navigation. */
  title: string;
  /** `ready` pages work today; `soon` pages show what is coming and why not yet. */
  status: 'ready' | 'soon';
  /** Fills `container` (an empty `<section>`); may be async. Returns a cleanup run when leaving. */
  render(container: HTMLElement, context: PageContext): void | (() => void) | Promise<void | (() => void)>;
}
