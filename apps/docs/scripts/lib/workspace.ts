// Reads the workspace the site documents: the library packages, their public entry points and
// their changelogs. Read-only: the docs never write outside apps/docs.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** apps/docs */
export const DOCS_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The repository root. */
export const REPO_ROOT = resolve(DOCS_ROOT, '..', '..');
/** The VitePress source folder. */
export const SITE_ROOT = join(DOCS_ROOT, 'site');

/** One public entry point of a package: an `exports` key and the source file behind it. */
export interface EntryPoint {
  /** Import specifier, e.g. `@heed/backends/testing`. */
  specifier: string;
  /** Absolute path of the TypeScript source, e.g. `packages/backends/src/testing/index.ts`. */
  source: string;
}

/** A library package of the workspace. */
export interface WorkspacePackage {
  /** `@heed/attention` */
  name: string;
  /** Folder name under packages/, e.g. `attention`. */
  folder: string;
  /** Absolute path of the package folder. */
  dir: string;
  description: string;
  version: string;
  entryPoints: EntryPoint[];
  /** The package's CHANGELOG.md, when it has one. */
  changelog?: string;
}

interface PackageJson {
  name: string;
  version?: string;
  description?: string;
  private?: boolean;
  main?: string;
  exports?: string | Record<string, string | { types?: string; import?: string; default?: string }>;
}

/**
 * Maps a built file named in `exports` (`./dist/testing/index.js`) to its source
 * (`src/testing/index.ts`), the convention of every heed package (tsup src/… → dist/…).
 */
export function sourceOfBuiltFile(dir: string, built: string): string | undefined {
  const relative = built.replace(/^\.\//, '').replace(/^dist\//, 'src/').replace(/\.d\.ts$|\.m?js$/, '');
  for (const candidate of [`${relative}.ts`, `${relative}.tsx`, join(relative, 'index.ts')]) {
    const path = join(dir, candidate);
    if (existsSync(path)) return path;
  }
  return undefined;
}

/** The public entry points of a package, read from its package.json `exports` (or `main`). */
export function entryPointsOf(dir: string, json: PackageJson): EntryPoint[] {
  const exportsField = json.exports ?? (json.main ? { '.': json.main } : { '.': './dist/index.js' });
  const map = typeof exportsField === 'string' ? { '.': exportsField } : exportsField;
  const entries: EntryPoint[] = [];
  for (const [key, target] of Object.entries(map)) {
    if (key.includes('*') || key === './package.json') continue;
    const built = typeof target === 'string' ? target : (target.import ?? target.default ?? target.types);
    if (!built) continue;
    const source = sourceOfBuiltFile(dir, built);
    if (!source) continue;
    entries.push({ specifier: key === '.' ? json.name : `${json.name}/${key.replace(/^\.\//, '')}`, source });
  }
  return entries;
}

/** Every publishable library package under packages/, sorted by folder name. */
export function workspacePackages(root = REPO_ROOT): WorkspacePackage[] {
  const packagesDir = join(root, 'packages');
  if (!existsSync(packagesDir)) return [];
  const result: WorkspacePackage[] = [];
  for (const folder of readdirSync(packagesDir).sort()) {
    const dir = join(packagesDir, folder);
    const jsonPath = join(dir, 'package.json');
    if (!existsSync(jsonPath)) continue;
    const json = JSON.parse(readFileSync(jsonPath, 'utf8')) as PackageJson;
    if (json.private) continue;
    const changelogPath = join(dir, 'CHANGELOG.md');
    result.push({
      name: json.name,
      folder,
      dir,
      description: json.description ?? '',
      version: json.version ?? '0.0.0',
      entryPoints: entryPointsOf(dir, json),
      ...(existsSync(changelogPath) ? { changelog: readFileSync(changelogPath, 'utf8') } : {}),
    });
  }
  return result;
}

/** A changeset not yet released (a .changeset/*.md file). */
export interface PendingChangeset {
  id: string;
  /** Package name → bump type. */
  releases: Record<string, string>;
  summary: string;
}

/** Parses the pending changesets in `.changeset/`. */
export function pendingChangesets(root = REPO_ROOT): PendingChangeset[] {
  const dir = join(root, '.changeset');
  if (!existsSync(dir)) return [];
  const result: PendingChangeset[] = [];
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.md') || file === 'README.md') continue;
    const text = readFileSync(join(dir, file), 'utf8');
    const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
    if (!match) continue;
    const releases: Record<string, string> = {};
    for (const line of match[1]!.split(/\r?\n/)) {
      const release = /^\s*["']?([^"':]+)["']?\s*:\s*(\w+)\s*$/.exec(line);
      if (release) releases[release[1]!] = release[2]!;
    }
    result.push({ id: file.replace(/\.md$/, ''), releases, summary: match[2]!.trim() });
  }
  return result;
}
