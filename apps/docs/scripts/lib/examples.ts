// Every TypeScript code block of the hand-written pages is a complete module that must type-check
// against the packages' public entry points, exactly as a reader would paste it. Blocks whose
// fence says `run` (```ts run) are also executed in Node. This is what keeps the guides honest.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { DOCS_ROOT, SITE_ROOT } from './workspace';

/** One code block of a page. */
export interface Example {
  /** Page path relative to site/, e.g. `guide/backends.md`. */
  page: string;
  /** 1-based line of the block's first code line in the page. */
  line: number;
  lang: string;
  /** Words after the language in the fence, e.g. `run`. */
  meta: string[];
  code: string;
}

/** Pages generated from elsewhere (their code is checked where it is written). */
const GENERATED = [/^api\//, /^changelog\//, /^benchmarks\.md$/, /^results\.md$/];

/** The hand-written pages of the site, relative to site/. */
export function handWrittenPages(root = SITE_ROOT): string[] {
  const pages: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.') || name === 'node_modules') continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.md')) pages.push(relative(root, path).replace(/\\/g, '/'));
    }
  };
  walk(root);
  return pages.filter((page) => !GENERATED.some((pattern) => pattern.test(page)));
}

const TS_LANGS = new Set(['ts', 'typescript', 'mts']);

/** The fenced code blocks of a markdown page (any language; `lang` says which). */
export function extractCodeBlocks(markdown: string, page: string): Example[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: Example[] = [];
  for (let index = 0; index < lines.length; index++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)\s*(.*)$/.exec(lines[index]!);
    if (!open) continue;
    const fence = open[2]!;
    const body: string[] = [];
    let end = index + 1;
    while (end < lines.length && !lines[end]!.trim().startsWith(fence)) body.push(lines[end++]!);
    const meta = open[4]!.replace(/[{}[\]]/g, ' ').split(/\s+/).filter(Boolean);
    blocks.push({ page, line: index + 2, lang: open[3]!.toLowerCase(), meta, code: body.join('\n') });
    index = end;
  }
  return blocks;
}

/** The TypeScript examples of every hand-written page. */
export function collectExamples(root = SITE_ROOT): Example[] {
  return handWrittenPages(root).flatMap((page) =>
    extractCodeBlocks(readFileSync(join(root, page), 'utf8'), page).filter((block) => TS_LANGS.has(block.lang)),
  );
}

/** Where an example is written to be checked: inside apps/docs so its imports resolve like ours. */
export const EXAMPLES_DIR = join(DOCS_ROOT, '.tmp', 'examples');

export const exampleFileName = (example: Example): string =>
  `${example.page.replace(/\.md$/, '').replace(/[^a-zA-Z0-9]+/g, '-')}-L${example.line}.ts`;

/** Module specifiers an example may import: public entry points, tfjs and Node built-ins. */
export function importProblems(example: Example, allowed: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const source = ts.createSourceFile('example.ts', example.code, ts.ScriptTarget.ES2022, true);
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const specifier = node.moduleSpecifier.text;
      const ok = allowed.has(specifier) || specifier.startsWith('node:') || specifier === '@tensorflow/tfjs';
      if (!ok) problems.push(`${example.page}:${example.line}: imports "${specifier}", which is not a public entry point (${[...allowed].join(', ')}, @tensorflow/tfjs, node:*)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return problems;
}

/**
 * The tsconfig examples are checked and run with: apps/docs' own (the packages' built dist/, as a
 * user gets them), or with HEED_DOCS_FROM_SOURCE=1 one mapping @heed/* to the packages' src/.
 */
export function examplesTsconfig(): string {
  return join(DOCS_ROOT, process.env.HEED_DOCS_FROM_SOURCE ? 'tsconfig.source.json' : 'tsconfig.json');
}

/** Writes the examples as modules and type-checks them together; returns the errors by page line. */
export function typeCheckExamples(examples: Example[]): string[] {
  rmSync(EXAMPLES_DIR, { recursive: true, force: true });
  mkdirSync(EXAMPLES_DIR, { recursive: true });
  const files = new Map<string, Example>();
  for (const example of examples) {
    const file = join(EXAMPLES_DIR, exampleFileName(example));
    // `export {}` makes every block its own module: top-level await works, names never clash.
    writeFileSync(file, `${example.code}\nexport {};\n`);
    files.set(file, example);
  }
  const config = ts.getParsedCommandLineOfConfigFile(examplesTsconfig(), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  });
  if (!config) throw new Error('docs: cannot read apps/docs/tsconfig.json');
  const program = ts.createProgram([...files.keys()], { ...config.options, noEmit: true, noUnusedLocals: false });
  const errors: string[] = [];
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    const example = diagnostic.file ? files.get(diagnostic.file.fileName) : undefined;
    if (diagnostic.file && example && diagnostic.start !== undefined) {
      const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
      errors.push(`site/${example.page}:${example.line + line}:${character + 1}: TS${diagnostic.code} ${message}`);
    } else {
      errors.push(`${diagnostic.file ? relative(DOCS_ROOT, diagnostic.file.fileName) : '(program)'}: TS${diagnostic.code} ${message}`);
    }
  }
  return errors;
}

/**
 * Names written as inline code in a page's prose that look like TypeScript API names (camelCase
 * or PascalCase compounds such as `initBackend`, `MultiHeadAttention`, `returnWeights`), with the
 * page line; code blocks are left out (they are type-checked instead).
 */
export function inlineApiNames(markdown: string): { name: string; line: number }[] {
  const found: { name: string; line: number }[] = [];
  let inFence: string | undefined;
  markdown.split(/\r?\n/).forEach((text, index) => {
    const fence = /^\s*(`{3,}|~{3,})/.exec(text)?.[1];
    if (fence && (inFence === undefined || text.trim().startsWith(inFence))) {
      inFence = inFence === undefined ? fence : undefined;
      return;
    }
    if (inFence) return;
    for (const match of text.matchAll(/`([^`]+)`/g)) {
      const name = match[1]!.replace(/\(\)$/, '');
      if (/^(?:[a-z]+[A-Z][A-Za-z0-9]*|[A-Z][a-z0-9]+[A-Z][A-Za-z0-9]*)$/.test(name)) found.push({ name, line: index + 1 });
    }
  });
  return found;
}
