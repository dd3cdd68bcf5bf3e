/**
 * @heed/viz: see attention. Pure TypeScript rendering to SVG strings (Node or browser) and to
 * canvas/DOM (browser), sharing one layout per visualization (a {@link Scene}).
 * @packageDocumentation
 */
export {
  attentionHeatmapScene,
  attentionHeatmapSvg,
  renderAttentionHeatmapToCanvas,
  type AttentionHeatmapOptions,
} from './attention-heatmap';
export { attentionHeatmapText, type AttentionHeatmapTextOptions } from './attention-heatmap-text';
export { headViewScene, headViewSvg, renderHeadViewToCanvas, type HeadViewOptions } from './head-view';
export { attentionLayer, attentionMatrix, toMatrix, type AttentionInput, type LayerAttention, type Matrix } from './attention-tensor';
export {
  colorScale,
  contrastingText,
  headColor,
  HEAD_COLORS,
  isDiverging,
  relativeLuminance,
  rgbCss,
  schemeColor,
  type ColorScale,
  type ColorScaleOptions,
  type ColorSchemeName,
  type Rgb,
} from './color-scale';
export { colorLegendShapes, type ColorLegendOptions } from './color-legend';
export { niceTicks, formatTick } from './nice-ticks';
export { hitTest, translateShape, type Scene, type Shape, type RectShape, type TextShape, type LineShape, type PolylineShape, type ImageShape, type GradientShape } from './scene';
export { sceneToSvg } from './scene-svg';
export { drawScene, renderSceneToCanvas, type Canvas2D, type CanvasLike, type DrawSceneOptions } from './scene-canvas';
export { escapeXml } from './escape-xml';
export { encodePng } from './png';
export { base64 } from './base64';
export {
  highlightTokens,
  renderTokenHighlightToCanvas,
  tokenHighlightScene,
  tokenHighlightSvg,
  type HighlightedToken,
  type TokenHighlightOptions,
} from './token-highlight';
export { renderTokenHighlight, tokenHighlightHtml } from './token-highlight-html';
export {
  patchAttentionOverlayScene,
  patchAttentionOverlaySvg,
  renderPatchAttentionOverlayToCanvas,
  type PatchAttentionOverlayOptions,
} from './patch-attention-overlay';
export { toRgba, type ImageUrl, type RasterImage } from './raster-image';
export { attentionRollout, type AttentionRolloutOptions } from './attention-rollout';
export { TrainingHistory, type TrainingCurvesData } from './training-history';
export {
  checkCurves,
  renderTrainingCurvesToCanvas,
  seriesColor,
  trainingCurvesScene,
  trainingCurvesSvg,
  type CurveStyle,
  type TrainingCurvesOptions,
} from './training-curves';
export { createTrainingCurvesChart, type TrainingCurvesChart, type TrainingCurvesChartOptions } from './training-curves-chart';
export {
  attentionHeadsGridScene,
  attentionHeadsGridSvg,
  renderAttentionHeadsGridToCanvas,
  type AttentionHeadsGridOptions,
} from './attention-heads-grid';
export { attachCanvasTooltips, attachHeadViewHover, type HeadViewHover } from './canvas-interaction';
