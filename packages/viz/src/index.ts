/**
 * @heed/viz: see attention. Pure TypeScript rendering to SVG and canvas.
 * @packageDocumentation
 */
export { attentionHeatmapSvg, type AttentionHeatmapOptions } from './attention-heatmap-svg';
