// A link checker over the built site: every internal href/src of every HTML page must name a
// file of dist/, and every #fragment an id of the page it points to.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, relative } from 'node:path';

export interface BrokenLink {
  /** Page the link is on, relative to dist/. */
  page: string;
  href: string;
  reason: string;
}

/** Every .html file under `dir`, relative to it with `/` separators. */
export function htmlPages(dir: string): string[] {
  const pages: string[] = [];
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.html')) pages.push(relative(dir, path).replace(/\\/g, '/'));
    }
  };
  walk(dir);
  return pages.sort();
}

const decodeEntities = (text: string): string =>
  text.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');

/** The href/src values of a page, skipping external, mailto:, data: and javascript: ones. */
export function internalLinks(html: string): string[] {
  const withoutScripts = html.replace(/<script\b[\s\S]*?<\/script>/gi, '');
  const links: string[] = [];
  for (const match of withoutScripts.matchAll(/\s(?:href|src)\s*=\s*("([^"]*)"|'([^']*)')/gi)) {
    const value = decodeEntities(match[2] ?? match[3] ?? '').trim();
    if (value === '' || /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i.test(value)) continue;
    links.push(value);
  }
  return links;
}

/** The ids a page defines (fragment targets). */
export function pageIds(html: string): Set<string> {
  return new Set([...html.matchAll(/\sid\s*=\s*("([^"]*)"|'([^']*)')/gi)].map((match) => decodeEntities(match[2] ?? match[3] ?? '')));
}

/**
 * Checks the internal links of every page of a built site. `base` is the site's URL prefix
 * (VitePress `base`, `/` by default).
 */
export function checkLinks(dist: string, base = '/'): { pages: number; links: number; broken: BrokenLink[] } {
  const pages = htmlPages(dist);
  const ids = new Map<string, Set<string>>();
  const idsOf = (page: string) => {
    let found = ids.get(page);
    if (!found) {
      found = pageIds(readFileSync(join(dist, page), 'utf8'));
      ids.set(page, found);
    }
    return found;
  };
  const broken: BrokenLink[] = [];
  let count = 0;
  for (const page of pages) {
    const html = readFileSync(join(dist, page), 'utf8');
    for (const href of internalLinks(html)) {
      count++;
      const [pathPart = '', fragment] = href.split('#', 2) as [string, string | undefined];
      const path = decodeURIComponent(pathPart.split('?')[0]!);
      let target: string;
      if (path === '') target = page;
      else if (path.startsWith('/')) {
        if (!path.startsWith(base)) {
          broken.push({ page, href, reason: `outside the site base ${base}` });
          continue;
        }
        target = path.slice(base.length);
      } else target = posix.join(posix.dirname(page), path);
      target = posix.normalize(target).replace(/^\/+/, '');
      const candidates = [target, `${target}.html`, posix.join(target, 'index.html')].filter((candidate) => candidate !== '' && !candidate.startsWith('..'));
      const file = target === '' || target === '.' ? 'index.html' : candidates.find((candidate) => existsSync(join(dist, candidate)) && statSync(join(dist, candidate)).isFile());
      if (!file) {
        broken.push({ page, href, reason: `no file ${target}` });
        continue;
      }
      if (fragment && file.endsWith('.html') && !idsOf(file).has(decodeURIComponent(fragment))) {
        broken.push({ page, href, reason: `no id "${fragment}" in ${file}` });
      }
    }
  }
  return { pages: pages.length, links: count, broken };
}
