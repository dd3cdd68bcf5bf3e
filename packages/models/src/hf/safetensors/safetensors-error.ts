/**
 * Raised for every malformed or unreadable safetensors file, index or tensor request. The message
 * names the file and, where one is involved, the tensor; `file` and `tensor` carry the same for
 * programs. Readers and writers in `hf/safetensors` throw nothing else for bad input.
 *
 * @example
 * ```ts
 * try { await SafetensorsReader.open(bytesSource(bytes, 'model.safetensors')); }
 * catch (error) {
 *   if (error instanceof SafetensorsError) console.log(error.file, error.tensor, error.message);
 * }
 * ```
 */
export class SafetensorsError extends Error {
  constructor(
    /** The file (path, URL or name) the problem is in. */
    readonly file: string,
    message: string,
    /** The tensor the problem is in, when there is one. */
    readonly tensor?: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}${tensor === undefined ? '' : ` (tensor ${JSON.stringify(cut(tensor))})`}: ${message}`, options);
    this.name = 'SafetensorsError';
  }
}

/** Cuts a long value for an error message. */
export function cut(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
