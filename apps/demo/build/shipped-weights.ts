import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

/** Where the demo serves the shipped weights, relative to the site root: `weights/<name>/config.json`. */
export const WEIGHTS_PATH = 'weights';

/** One shipped model as `weights/index.json` lists it. */
export interface ShippedModelEntry {
  /** Files in `weights/<name>/`. */
  files: string[];
  /** Bytes of the model's files but results.json (what loading the model downloads). */
  bytes: number;
  /** The model's `results.json` (metrics, command), when it has one. */
  results?: unknown;
}

/** `weights/index.json`: which shipped models this build has, so pages can say "not available" without a failing request. */
export interface ShippedWeightsIndex {
  models: Record<string, ShippedModelEntry>;
}

/**
 * The folder of the installed `@heed/models` package, found by Node resolution from this app (so a
 * workspace link, a hoisted install or a published tarball all work): `@heed/models/package.json`
 * when the package exports it, else the package's entry point and the nearest folder above it whose
 * package.json is `@heed/models`.
 */
export function modelsPackageDir(): string {
  const require = createRequire(import.meta.url);
  try {
    return dirname(require.resolve('@heed/models/package.json'));
  } catch {
    // Not exported (ERR_PACKAGE_PATH_NOT_EXPORTED): walk up from the entry point instead.
  }
  let directory = dirname(fileURLToPath(import.meta.resolve('@heed/models')));
  for (;;) {
    const manifest = join(directory, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === '@heed/models') return directory;
    const parent = dirname(directory);
    if (parent === directory) throw new Error('shippedWeights: cannot find the folder of the installed @heed/models package');
    directory = parent;
  }
}

/**
 * Files a model folder may ship: JSON (the heed format's or a Hugging Face `config.json`,
 * tokenizer files, results.json; a legacy `model.json`), weights (`*.safetensors`, legacy
 * `*.bin`) and a GPT-2 tokenizer's `merges.txt`, nothing else (no editor files, no hidden
 * temporaries of an interrupted save).
 */
const SHIPPED_FILE = /^(?!\.)([\w.-]+\.(json|safetensors|bin)|merges\.txt)$/;

/** A folder is a model when it holds a `config.json` (the heed format, or the Hugging Face layout) or a legacy `model.json`. */
const isModelFolder = (folder: string) => existsSync(join(folder, 'config.json')) || existsSync(join(folder, 'model.json'));

/** Reads `root/<name>/` model folders into the index. */
export function indexWeights(root: string): ShippedWeightsIndex {
  const models: Record<string, ShippedModelEntry> = {};
  if (!existsSync(root)) return { models };
  for (const name of readdirSync(root).sort()) {
    const folder = join(root, name);
    if (!statSync(folder).isDirectory() || !isModelFolder(folder)) continue;
    const files = readdirSync(folder).filter((file) => SHIPPED_FILE.test(file)).sort();
    const bytes = files.filter((file) => file !== 'results.json').reduce((sum, file) => sum + statSync(join(folder, file)).size, 0);
    const resultsFile = join(folder, 'results.json');
    let results: unknown;
    try {
      results = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : undefined;
    } catch {
      results = undefined; // a broken results.json only loses the metrics line
    }
    models[name] = { files, bytes, ...(results === undefined ? {} : { results }) };
  }
  return { models };
}

const TYPES: Record<string, string> = { json: 'application/json', bin: 'application/octet-stream', safetensors: 'application/octet-stream', txt: 'text/plain; charset=utf-8' };

/**
 * Serves `<@heed/models>/weights/<name>/*` at `weights/` (dev server) and copies them into the
 * build (`dist/weights/`), with `weights/index.json` listing the models found. The weights are
 * fetched by the pages only when first needed.
 */
export function shippedWeights(root = join(modelsPackageDir(), 'weights')): Plugin {
  return {
    name: 'heed-shipped-weights',
    configureServer(server) {
      server.middlewares.use(`/${WEIGHTS_PATH}/`, (request, response, next) => {
        const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname).replace(/^\/+/, '');
        if (path === 'index.json') {
          response.setHeader('content-type', TYPES.json!);
          response.end(JSON.stringify(indexWeights(root)));
          return;
        }
        const [name, file, ...rest] = path.split('/');
        if (!name || !file || rest.length > 0 || !SHIPPED_FILE.test(file) || name.startsWith('.')) return next();
        const full = join(root, name, file);
        if (!existsSync(full)) return next();
        response.setHeader('content-type', TYPES[file.split('.').pop()!] ?? 'application/octet-stream');
        response.end(readFileSync(full));
      });
    },
    generateBundle() {
      const index = indexWeights(root);
      for (const [name, entry] of Object.entries(index.models)) {
        for (const file of entry.files) this.emitFile({ type: 'asset', fileName: `${WEIGHTS_PATH}/${name}/${file}`, source: readFileSync(join(root, name, file)) });
      }
      this.emitFile({ type: 'asset', fileName: `${WEIGHTS_PATH}/index.json`, source: JSON.stringify(index) });
    },
  };
}
