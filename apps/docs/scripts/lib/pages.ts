// Generated pages other than the TypeDoc output: changelogs and the API sidebar.
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PendingChangeset, WorkspacePackage } from './workspace';

/** A VitePress sidebar item. */
export interface SidebarItem {
  text: string;
  link?: string;
  collapsed?: boolean;
  items?: SidebarItem[];
}

/** The changelog page of one package: its CHANGELOG.md, or its pending changesets before a release. */
export function changelogPage(pkg: WorkspacePackage, pending: PendingChangeset[]): string {
  const waiting = pending.filter((changeset) => pkg.name in changeset.releases);
  const unreleased = waiting.length
    ? `## Unreleased\n\nPending changesets (\`.changeset/\`) that will go into the next release:\n\n${waiting
        .map((changeset) => `- **${changeset.releases[pkg.name]}** (\`${changeset.id}\`): ${changeset.summary.replace(/\r?\n/g, ' ')}`)
        .join('\n')}\n`
    : '';
  if (pkg.changelog) {
    // Demote the changelog's own H1 (the package name) under the page title.
    const body = pkg.changelog.replace(/^#\s+.*\r?\n/, '');
    return `# ${pkg.name} changelog\n\n${unreleased}\n${body.trim()}\n`;
  }
  return `# ${pkg.name} changelog\n\nNo release of \`${pkg.name}\` has been versioned yet (\`packages/${pkg.folder}/CHANGELOG.md\` does not exist); \`pnpm version-packages\` writes it from the changesets.\n\n${unreleased}`;
}

/**
 * Moves TypeDoc's `api/@heed/<name>.md` pages (and `api/@heed/<name>/` for sub-entry points) up
 * to `api/` (shorter URLs without `@`) and fixes the links of the top index that pointed into them.
 */
export function flattenScope(apiRoot: string): void {
  const scoped = join(apiRoot, '@heed');
  if (!existsSync(scoped)) return;
  for (const name of readdirSync(scoped)) {
    rmSync(join(apiRoot, name), { recursive: true, force: true });
    renameSync(join(scoped, name), join(apiRoot, name));
  }
  rmSync(scoped, { recursive: true, force: true });
  const index = join(apiRoot, 'index.md');
  if (existsSync(index)) writeFileSync(index, readFileSync(index, 'utf8').replaceAll('](@heed/', ']('));
}

/**
 * Wraps the body of every generated reference page (all but its `# title`) in VitePress'
 * `::: v-pre` container, so `{{ … }}` in a package's TSDoc is printed, never run as a Vue
 * interpolation that would break the build.
 */
export function escapeVueInApiPages(apiRoot: string): void {
  const walk = (dir: string) => {
    for (const name of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, name.name);
      if (name.isDirectory()) walk(path);
      else if (name.name.endsWith('.md')) {
        const text = readFileSync(path, 'utf8');
        const title = /^# .*\r?\n/.exec(text)?.[0] ?? '';
        writeFileSync(path, `${title}\n::: v-pre\n\n${text.slice(title.length).trim()}\n\n:::\n`);
      }
    }
  };
  walk(apiRoot);
}

/** The introduction put under the title of the reference's index page. */
export const API_INTRO = [
  'Generated at every build from the TSDoc of each package\'s public entry points (the `exports` of its',
  'package.json, read from `src/`), so it always matches the code. One page per entry point; every export',
  'has a section, listed in the page outline. Import only from these entry points.',
].join('\n');

/** Puts {@link API_INTRO} under the index's `# heed API` title. */
export function introduceApiIndex(apiRoot: string): void {
  const index = join(apiRoot, 'index.md');
  if (!existsSync(index)) return;
  const text = readFileSync(index, 'utf8');
  writeFileSync(index, text.replace(/^# (.*)\n/, `# API reference\n\n${API_INTRO}\n`));
}

/** URL path of an entry point's reference page: `@heed/backends/testing` → `/api/backends/testing`. */
export const apiPath = (specifier: string): string => `/api/${specifier.replace(/^@heed\//, '')}`;

/** The API sidebar: one page per entry point (members are in its outline), then the changelogs. */
export function apiSidebar(modules: { specifier: string }[], packages: { name: string }[]): SidebarItem[] {
  return [
    {
      text: 'API reference',
      items: [{ text: 'All packages', link: '/api/' }, ...modules.map((module) => ({ text: module.specifier, link: apiPath(module.specifier) }))],
    },
    {
      text: 'Changelogs',
      collapsed: true,
      items: [{ text: 'All packages', link: '/changelog/' }, ...packages.map((pkg) => ({ text: pkg.name, link: `/changelog/${pkg.name.replace(/^@heed\//, '')}` }))],
    },
  ];
}
