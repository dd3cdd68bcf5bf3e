/**
 * Imports a module only in Node (`node:fs/promises`, `node:path`, the optional `webgpu` or
 * `cli-progress` packages). The specifier is a variable and carries the bundlers' ignore comments,
 * so a browser bundle (Vite, webpack) neither includes nor fails on it: it is loaded only when a
 * Node-only feature is used. heed's one copy: every package imports it from here.
 *
 * @example
 * ```ts
 * import { importNodeOnly } from '@heed/backends';
 * const fs = await importNodeOnly<typeof import('node:fs/promises')>('node:fs/promises');
 * ```
 */
export function importNodeOnly<Module>(specifier: string): Promise<Module> {
  return import(/* webpackIgnore: true */ /* @vite-ignore */ specifier) as Promise<Module>;
}
