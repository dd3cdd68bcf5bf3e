/**
 * Imports a module only in Node. The specifier goes through a variable so that browser bundlers
 * (Vite, webpack) neither try to bundle Node built-ins nor the optional `webgpu` package.
 */
export async function nodeImport<T>(specifier: string): Promise<T> {
  return (await import(/* @vite-ignore */ /* webpackIgnore: true */ specifier)) as T;
}
