// The API reference: TypeDoc over every public entry point of every package (their src/ files,
// read-only), rendered to markdown for VitePress by typedoc-plugin-markdown.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Application, Converter, ReflectionKind, type ProjectReflection } from 'typedoc';
import { DOCS_ROOT, REPO_ROOT, type EntryPoint, type WorkspacePackage } from './workspace';

/** Where the generated reference goes (gitignored). */
export const API_OUT = join(DOCS_ROOT, 'site', 'api');

/** URL folder of one entry point: `@heed/backends/testing` → `backends-testing`. */
export function apiSlug(specifier: string): string {
  return specifier.replace(/^@heed\//, '').replace(/[^a-zA-Z0-9]+/g, '-');
}

/**
 * Names each module reflection after the import specifier of its entry point. TypeDoc names a
 * module by its path below the entry points' common folder (`backends/src/testing`); the entry
 * whose path ends with that name is the one.
 */
function renameModules(project: ProjectReflection, entries: readonly EntryPoint[]): void {
  const keyed = entries.map((entry) => ({
    key: relative(REPO_ROOT, entry.source).replace(/\\/g, '/').replace(/\/index\.tsx?$/, '').replace(/\.tsx?$/, ''),
    specifier: entry.specifier,
  }));
  for (const module of project.getChildrenByKind(ReflectionKind.Module)) {
    const match = keyed.filter((entry) => entry.key === module.name || entry.key.endsWith(`/${module.name}`));
    if (match.length === 1) module.name = match[0]!.specifier;
  }
}

export interface ApiResult {
  /** Modules rendered, in sidebar order, with their URL folder. */
  modules: { specifier: string; slug: string; exports: number }[];
  /** TypeDoc warnings (missing docs are not warnings; broken {@link}s are). */
  warnings: string[];
}

/**
 * Runs TypeDoc over the packages' public entry points and writes markdown into site/api/.
 * `skipErrorChecking` because the packages type-check themselves; the docs only read their TSDoc.
 */
export async function generateApi(packages: WorkspacePackage[]): Promise<ApiResult> {
  const entries = packages.flatMap((pkg) => pkg.entryPoints);
  rmSync(API_OUT, { recursive: true, force: true });
  mkdirSync(API_OUT, { recursive: true });
  const warnings: string[] = [];
  const app = await Application.bootstrapWithPlugins({
    entryPoints: entries.map((entry) => entry.source),
    entryPointStrategy: 'resolve',
    tsconfig: join(DOCS_ROOT, 'tsconfig.api.json'),
    skipErrorChecking: true,
    plugin: ['typedoc-plugin-markdown'],
    out: API_OUT,
    readme: 'none',
    excludeInternal: true,
    excludePrivate: true,
    excludeProtected: true,
    excludeExternals: true,
    disableSources: true,
    githubPages: false,
    hideGenerator: true,
    logLevel: 'Warn',
    // typedoc-plugin-markdown options
    entryFileName: 'index',
    outputFileStrategy: 'modules',
    hidePageHeader: true,
    hideBreadcrumbs: true,
    useCodeBlocks: true,
    parametersFormat: 'table',
    interfacePropertiesFormat: 'table',
    classPropertiesFormat: 'table',
    typeDeclarationFormat: 'table',
    enumMembersFormat: 'table',
    indexFormat: 'table',
    sanitizeComments: true,
    // Headings carry the anchors typedoc's own links use (VitePress' slugs differ for _ and repeats).
    useHTMLAnchors: true,
  } as Parameters<typeof Application.bootstrapWithPlugins>[0]);
  app.logger.log = (message: string, level: number) => {
    if (level >= 1) warnings.push(String(message));
    if (level >= 2) console.error(`typedoc: ${message}`);
  };
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => renameModules(context.project, entries));
  const project = await app.convert();
  if (!project) throw new Error('docs: TypeDoc could not convert the packages (see the errors above)');
  project.name = 'heed API';
  await app.generateOutputs(project);
  const modules = project.getChildrenByKind(ReflectionKind.Module).map((module) => ({
    specifier: module.name,
    slug: apiSlug(module.name),
    exports: module.children?.length ?? 0,
  }));
  if (entries.length === 1 && modules.length === 0) {
    modules.push({ specifier: entries[0]!.specifier, slug: apiSlug(entries[0]!.specifier), exports: project.children?.length ?? 0 });
  }
  writeFileSync(join(API_OUT, 'modules.json'), JSON.stringify(modules, null, 2));
  // Every documented name (exports, members, options, parameters): the guides' inline code is checked against it.
  const names = new Set<string>();
  for (const reflection of Object.values(project.reflections)) names.add(reflection.name);
  writeFileSync(join(API_OUT, 'names.json'), JSON.stringify([...names].sort()));
  return { modules, warnings: warnings.map((warning) => warning.replaceAll(REPO_ROOT + '/', '')) };
}

/** For logs: where a path is, relative to the repository. */
export const repoPath = (path: string): string => relative(REPO_ROOT, path);
