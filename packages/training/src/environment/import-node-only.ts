/**
 * Imports a Node-only module (node:fs, cli-progress) through a specifier bundlers do not follow,
 * so a browser bundle of @heed/training neither includes nor fails on it; it is loaded only when
 * a Node-only feature (file:// checkpoints, the terminal progress bar) is used.
 * @internal
 */
export function importNodeOnly<Module>(specifier: string): Promise<Module> {
  return import(/* webpackIgnore: true */ /* @vite-ignore */ specifier) as Promise<Module>;
}
