// Generates the parts of the site that come from the rest of the repository, before VitePress
// builds it: the API reference (TypeDoc over every package's public entry points), one changelog
// page per package, and the benchmarks/results pages from the root reports. Everything written
// here is gitignored; the site grows by itself as packages add exports and TSDoc.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { API_OUT, generateApi } from './lib/api';
import { missingReportPage, reportPage } from './lib/benchmarks';
import { handWrittenPages } from './lib/examples';
import { FRAGMENTS_DIR, missingIncludes, writeReportFragments, writeShippedFragments } from './lib/report-fragments';
import { apiSidebar, changelogPage, escapeVueInApiPages, flattenScope, introduceApiIndex } from './lib/pages';
import { pendingChangesets, REPO_ROOT, SITE_ROOT, workspacePackages } from './lib/workspace';

/** Sidebar data and page lists read by site/.vitepress/config.ts. */
export const GENERATED = join(SITE_ROOT, '.vitepress', 'generated');

export async function generate(): Promise<void> {
  const started = performance.now();
  const packages = workspacePackages();
  mkdirSync(GENERATED, { recursive: true });

  const api = await generateApi(packages);
  flattenScope(API_OUT);
  introduceApiIndex(API_OUT);
  escapeVueInApiPages(API_OUT);
  writeFileSync(join(GENERATED, 'api-sidebar.json'), JSON.stringify(apiSidebar(api.modules, packages), null, 2));

  const changelogDir = join(SITE_ROOT, 'changelog');
  rmSync(changelogDir, { recursive: true, force: true });
  mkdirSync(changelogDir, { recursive: true });
  const pending = pendingChangesets();
  for (const pkg of packages) writeFileSync(join(changelogDir, `${pkg.name.replace(/^@heed\//, '')}.md`), changelogPage(pkg, pending));
  writeFileSync(
    join(changelogDir, 'index.md'),
    `# Changelogs\n\nOne page per package, from its \`CHANGELOG.md\` (written by changesets at release) plus the changesets still pending.\n\n${packages
      .map((pkg) => `- [${pkg.name}](./${pkg.name.replace(/^@heed\//, '')}.md) ${pkg.version}`)
      .join('\n')}\n`,
  );

  const reports = [
    { file: 'BENCHMARKS.md', page: 'benchmarks.md', title: 'Benchmarks', how: 'Run `pnpm bench` to measure and write it.' },
    { file: 'RESULTS.md', page: 'results.md', title: 'Results', how: 'The model packages write it when they reproduce their results.' },
  ];
  for (const report of reports) {
    const source = join(REPO_ROOT, report.file);
    const page = existsSync(source) ? reportPage(readFileSync(source, 'utf8'), report.file) : missingReportPage(report.title, report.file, report.how);
    writeFileSync(join(SITE_ROOT, report.page), page);
  }

  // Fragments of the reports that tutorials and guides include (one block or one row each); an
  // include that names a block or row the reports no longer have fails the build here.
  const fragments = writeReportFragments(
    join(GENERATED, FRAGMENTS_DIR),
    reports
      .filter((report) => existsSync(join(REPO_ROOT, report.file)))
      .map((report) => ({ kind: report.file === 'RESULTS.md' ? 'results' : 'bench', markdown: readFileSync(join(REPO_ROOT, report.file), 'utf8'), source: report.file })),
  );
  // The shipped weights of @heed/models, from their results.json.
  fragments.push(...writeShippedFragments(join(GENERATED, FRAGMENTS_DIR), join(REPO_ROOT, 'packages', 'models', 'weights')));
  const missing = handWrittenPages().flatMap((page) => missingIncludes(readFileSync(join(SITE_ROOT, page), 'utf8'), SITE_ROOT).map((target) => `site/${page}: ${target}`));
  if (missing.length) {
    throw new Error(
      `docs: these pages include report fragments that RESULTS.md / BENCHMARKS.md no longer have (a renamed block or row?):\n  ${missing.join('\n  ')}\n` +
        `available: ${fragments.filter((file) => !file.startsWith('bench/') || !file.slice(6).includes('/')).join(', ')}`,
    );
  }

  writeFileSync(
    join(GENERATED, 'packages.json'),
    JSON.stringify(packages.map((pkg) => ({ name: pkg.name, description: pkg.description, entryPoints: pkg.entryPoints.map((entry) => entry.specifier) })), null, 2),
  );
  const exportsCount = api.modules.reduce((sum, module) => sum + module.exports, 0);
  console.log(
    `docs: API reference for ${api.modules.length} entry points (${exportsCount} exports), ${packages.length} changelogs, ` +
      `${reports.length} reports (${fragments.length} fragments) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  for (const warning of api.warnings) if (!warning.includes('markdown generated at')) console.warn(`typedoc: ${warning}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await generate();
