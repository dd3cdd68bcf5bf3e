// The package layering of heed, as data. Lower layers never import higher ones.
// Read by the ESLint config (import restrictions on source) and by the layering test
// (package.json dependencies). Change the architecture here and nowhere else.

/** Every workspace package and the @heed packages it may import. */
export const LAYERS = {
  '@heed/tokenizers': { heed: [], tfjs: false },
  '@heed/viz': { heed: [], tfjs: false },
  '@heed/backends': { heed: [], tfjs: true },
  '@heed/attention': { heed: ['@heed/backends'], tfjs: true },
  '@heed/training': { heed: ['@heed/backends'], tfjs: true },
  '@heed/models': {
    heed: ['@heed/attention', '@heed/tokenizers', '@heed/training', '@heed/backends'],
    tfjs: true,
  },
  // Apps consume packages through their public entry points only.
  '@heed/cli': {
    heed: ['@heed/backends', '@heed/attention', '@heed/tokenizers', '@heed/training', '@heed/models', '@heed/viz'],
    tfjs: true,
  },
  '@heed/demo': {
    heed: ['@heed/backends', '@heed/attention', '@heed/tokenizers', '@heed/training', '@heed/models', '@heed/viz'],
    tfjs: true,
  },
  '@heed/docs': {
    heed: ['@heed/backends', '@heed/attention', '@heed/tokenizers', '@heed/training', '@heed/models', '@heed/viz'],
    tfjs: true,
  },
};

/** Packages nobody may import. */
export const APPS = ['@heed/cli', '@heed/demo', '@heed/docs'];

/** Every @heed library package (not apps, not tooling). */
export const LIBRARIES = Object.keys(LAYERS).filter((name) => !APPS.includes(name));

/**
 * The `no-restricted-imports` options for one package: forbidden @heed packages, tfjs where
 * the layer is tfjs-free, and deep imports into any package's sources or build output.
 * @param {string} packageName
 */
export function restrictedImportsFor(packageName) {
  const layer = LAYERS[packageName];
  if (!layer) {
    throw new Error(
      `restrictedImportsFor: packageName must be one of ${Object.keys(LAYERS).join(', ')}; got ${JSON.stringify(packageName)}`,
    );
  }
  const forbidden = Object.keys(LAYERS).filter(
    (name) => name !== packageName && !layer.heed.includes(name),
  );
  const patterns = [
    {
      group: forbidden.flatMap((name) => [name, `${name}/*`]),
      message: `${packageName} ${layer.heed.length ? `may import only ${layer.heed.join(', ')}` : 'may import no other @heed package'} (see tooling/eslint-config/layering.js).`,
    },
    {
      group: ['@heed/*/src', '@heed/*/src/*', '@heed/*/dist', '@heed/*/dist/*', '**/packages/*/src/*', '**/apps/*/src/*'],
      message: 'Import other packages through their public entry point, never their src/ or dist/.',
    },
  ];
  if (!layer.tfjs) {
    patterns.push({
      group: ['@tensorflow/*'],
      message: `${packageName} is pure TypeScript and must not import TensorFlow.js.`,
    });
  }
  return { patterns };
}
