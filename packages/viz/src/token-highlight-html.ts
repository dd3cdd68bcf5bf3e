import { colorLegendShapes } from './color-legend';
import { escapeXml } from './escape-xml';
import { sceneToSvg } from './scene-svg';
import { highlightTokens, type TokenHighlightOptions } from './token-highlight';

const SCREEN_READER_ONLY = 'position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap';
const TOKEN_STYLE = 'padding:0 2px;border-radius:3px;line-height:1.8';

function legendSvg(options: TokenHighlightOptions): string {
  const { scale } = highlightTokens(options);
  return sceneToSvg({
    width: 200,
    height: 48,
    title: 'Color scale',
    fontSize: 11,
    shapes: colorLegendShapes(scale, { x: 8, y: 16, orientation: 'horizontal', length: 160, thickness: 10, label: 'score' }),
  });
}

/**
 * Renders highlighted tokens as an HTML string: one `<span class="heed-token">` per token with
 * its background color, a `title` tooltip and a screen-reader-only score, plus an SVG legend.
 * Text is escaped, so tokens from users are safe to insert.
 *
 * @example
 * ```ts
 * element.innerHTML = tokenHighlightHtml({ tokens: ['free', 'money'], scores: [0.4, 0.9] });
 * ```
 */
export function tokenHighlightHtml(options: TokenHighlightOptions): string {
  const { tokens } = highlightTokens(options);
  const separator = escapeXml(options.separator ?? ' ');
  const spans = tokens.map(
    (token, index) =>
      `<span class="heed-token" data-index="${index}" data-score="${Number(token.score.toPrecision(6))}" title="${escapeXml(token.title)}" style="background-color:${token.background};color:${token.color};${TOKEN_STYLE}">${escapeXml(token.text)}<span style="${SCREEN_READER_ONLY}"> (${escapeXml(token.title)})</span></span>`,
  );
  const legend = options.legend ?? true ? `<div class="heed-legend">${legendSvg(options)}</div>` : '';
  return `<div class="heed-token-highlight" role="group" aria-label="${escapeXml(options.title ?? 'Token importance')}"><p style="position:relative;margin:0">${spans.join(separator)}</p>${legend}</div>`;
}

/**
 * Renders highlighted tokens into a DOM element (replacing its content), built with DOM calls
 * rather than `innerHTML` for the tokens. Returns the token spans.
 *
 * @example
 * ```ts
 * renderTokenHighlight(document.querySelector('#why')!, { tokens, scores: attributions });
 * ```
 */
export function renderTokenHighlight(container: HTMLElement, options: TokenHighlightOptions): HTMLSpanElement[] {
  const { tokens } = highlightTokens(options);
  const document = container.ownerDocument;
  const root = document.createElement('div');
  root.className = 'heed-token-highlight';
  root.setAttribute('role', 'group');
  root.setAttribute('aria-label', options.title ?? 'Token importance');
  const paragraph = document.createElement('p');
  paragraph.style.cssText = 'position:relative;margin:0';
  const spans = tokens.map((token, index) => {
    const span = document.createElement('span');
    span.className = 'heed-token';
    span.dataset.index = String(index);
    span.dataset.score = String(Number(token.score.toPrecision(6)));
    span.title = token.title;
    span.style.cssText = `background-color:${token.background};color:${token.color};${TOKEN_STYLE}`;
    span.textContent = token.text;
    const hidden = document.createElement('span');
    hidden.style.cssText = SCREEN_READER_ONLY;
    hidden.textContent = ` (${token.title})`;
    span.append(hidden);
    if (index > 0) paragraph.append(options.separator ?? ' ');
    paragraph.append(span);
    return span;
  });
  root.append(paragraph);
  if (options.legend ?? true) {
    const legend = document.createElement('div');
    legend.className = 'heed-legend';
    legend.innerHTML = legendSvg(options); // generated and escaped by sceneToSvg
    root.append(legend);
  }
  container.replaceChildren(root);
  return spans;
}
