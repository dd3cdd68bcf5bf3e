// Small regex readers for the SVG strings under test (our own serializer, so the format is known).

/** Every element `<tag ...>` of an SVG string with the given class, as attribute maps. */
export function elements(svg: string, tag: string, className?: string): Array<Record<string, string>> {
  const found: Array<Record<string, string>> = [];
  for (const match of svg.matchAll(new RegExp(`<${tag}\\b([^>]*?)/?>`, 'g'))) {
    const attributes: Record<string, string> = {};
    for (const attribute of match[1]!.matchAll(/([\w:-]+)="([^"]*)"/g)) attributes[attribute[1]!] = attribute[2]!;
    if (className === undefined || attributes.class === className) found.push(attributes);
  }
  return found;
}

/** Parses `rgb(r,g,b)` or `#rrggbb`. */
export function parseColor(color: string): [number, number, number] {
  const rgb = /rgb\((\d+),(\d+),(\d+)\)/.exec(color);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (hex) return [Number.parseInt(hex[1]!, 16), Number.parseInt(hex[2]!, 16), Number.parseInt(hex[3]!, 16)];
  throw new Error(`not a color: ${color}`);
}

/** WCAG relative luminance, computed here independently of the package. */
export function luminance(color: string): number {
  const [r, g, b] = parseColor(color).map((channel) => {
    const c = channel / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Whether an SVG string is well-formed enough: one root, balanced tags. */
export function balanced(svg: string): boolean {
  const stack: string[] = [];
  for (const match of svg.matchAll(/<(\/?)([a-zA-Z][\w:-]*)[^>]*?(\/?)>/g)) {
    const [, closing, tag, selfClosing] = match;
    if (selfClosing) continue;
    if (closing) {
      if (stack.pop() !== tag) return false;
    } else stack.push(tag!);
  }
  return stack.length === 0;
}
