import { escapeXml } from './escape-xml';
import { round, type Scene, type Shape } from './scene';
import { encodePng } from './png';
import { base64 } from './base64';

const attr = (name: string, value: string | number | undefined): string =>
  value === undefined ? '' : ` ${name}="${typeof value === 'number' ? round(value) : escapeXml(value)}"`;

const dataAttrs = (data: Record<string, string | number> | undefined): string =>
  data ? Object.entries(data).map(([key, value]) => attr(`data-${key}`, String(value))).join('') : '';

const titled = (open: string, title: string | undefined, tag: string): string =>
  title === undefined ? `${open}/>` : `${open}><title>${escapeXml(title)}</title></${tag}>`;

/** FNV-1a hash of a string, as base 36. */
function hash(text: string): string {
  let value = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) value = Math.imul(value ^ text.charCodeAt(index), 0x01000193);
  return (value >>> 0).toString(36);
}

function shapeSvg(shape: Shape): string {
  switch (shape.kind) {
    case 'rect':
      return titled(
        `<rect${attr('class', shape.className)}${attr('x', shape.x)}${attr('y', shape.y)}${attr('width', shape.width)}${attr('height', shape.height)}${attr('fill', shape.fill)}${attr('fill-opacity', shape.opacity)}${attr('stroke', shape.stroke)}${dataAttrs(shape.data)}`,
        shape.title,
        'rect',
      );
    case 'text': {
      const transform = shape.rotate ? ` transform="rotate(${round(shape.rotate)} ${round(shape.x)} ${round(shape.y)})"` : '';
      const anchor = shape.anchor && shape.anchor !== 'start' ? attr('text-anchor', shape.anchor) : '';
      return `<text${attr('class', shape.className)}${attr('x', shape.x)}${attr('y', shape.y)}${anchor}${attr('fill', shape.fill)}${attr('font-size', shape.size)}${shape.bold ? ' font-weight="bold"' : ''}${transform}>${escapeXml(shape.text)}</text>`;
    }
    case 'line':
      return titled(
        `<line${attr('class', shape.className)}${attr('x1', shape.x1)}${attr('y1', shape.y1)}${attr('x2', shape.x2)}${attr('y2', shape.y2)}${attr('stroke', shape.stroke)}${attr('stroke-width', shape.width)}${attr('stroke-opacity', shape.opacity)}${shape.dash ? attr('stroke-dasharray', shape.dash.join(' ')) : ''}${dataAttrs(shape.data)}`,
        shape.title,
        'line',
      );
    case 'polyline': {
      const runs: string[] = [];
      let current: string[] = [];
      for (const point of shape.points) {
        if (point === null) {
          if (current.length) runs.push(current.join(' '));
          current = [];
        } else {
          current.push(`${round(point[0])},${round(point[1])}`);
        }
      }
      if (current.length) runs.push(current.join(' '));
      const d = runs.map((run) => `M${run.replace(/ /g, ' L')}`).join(' ');
      return titled(
        `<path${attr('class', shape.className)} d="${d}" fill="none"${attr('stroke', shape.stroke)}${attr('stroke-width', shape.width ?? 1.5)}${shape.dash ? attr('stroke-dasharray', shape.dash.join(' ')) : ''} stroke-linejoin="round"`,
        shape.title,
        'path',
      );
    }
    case 'image': {
      let href = shape.href;
      if (href === undefined && shape.rgba) {
        href = `data:image/png;base64,${base64(encodePng(shape.rgba, shape.pixelWidth ?? 0, shape.pixelHeight ?? 0))}`;
      }
      return `<image${attr('class', shape.className)}${attr('x', shape.x)}${attr('y', shape.y)}${attr('width', shape.width)}${attr('height', shape.height)}${attr('href', href ?? '')} preserveAspectRatio="none" style="image-rendering:pixelated"/>`;
    }
    case 'gradient': {
      // Content-derived id: several SVGs inlined in one page may share it only for identical gradients.
      const id = `heed-gradient-${hash(`${shape.direction}${shape.stops.join()}`)}`;
      const [x2, y1] = shape.direction === 'right' ? ['100%', '0%'] : ['0%', '100%'];
      const last = Math.max(1, shape.stops.length - 1);
      const stops = shape.stops.map((color, stop) => `<stop offset="${round((stop / last) * 100)}%" stop-color="${escapeXml(color)}"/>`).join('');
      return `<defs><linearGradient id="${id}" x1="0%" y1="${y1}" x2="${x2}" y2="0%">${stops}</linearGradient></defs><rect${attr('class', shape.className)}${attr('x', shape.x)}${attr('y', shape.y)}${attr('width', shape.width)}${attr('height', shape.height)} fill="url(#${id})"/>`;
    }
  }
}

/**
 * Serializes a {@link Scene} as a standalone SVG document (accessible: `role="img"`, `<title>`,
 * optional `<desc>`). Text and attribute values are escaped.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * writeFileSync('heatmap.svg', sceneToSvg(attentionHeatmapScene({ weights: [[1, 0], [0.5, 0.5]] })));
 * ```
 */
export function sceneToSvg(scene: Scene): string {
  const width = round(scene.width);
  const height = round(scene.height);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" font-family="sans-serif" font-size="${scene.fontSize}">`,
    `<title>${escapeXml(scene.title)}</title>`,
  ];
  if (scene.description !== undefined) parts.push(`<desc>${escapeXml(scene.description)}</desc>`);
  if (scene.background !== undefined) parts.push(`<rect width="100%" height="100%" fill="${escapeXml(scene.background)}"/>`);
  for (const shape of scene.shapes) parts.push(shapeSvg(shape));
  parts.push('</svg>');
  return parts.join('\n');
}
