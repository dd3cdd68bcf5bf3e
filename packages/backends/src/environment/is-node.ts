/** @returns true when running in Node.js (not a browser, not a web worker). */
export function isNode(): boolean {
  const candidate = globalThis as { process?: { versions?: { node?: string } } };
  return typeof candidate.process?.versions?.node === 'string';
}
