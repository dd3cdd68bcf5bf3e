/**
 * A shipped model of a family: its family, task in words and architecture (plain data, KerasHub's
 * presets); the weights are in `packages/models/weights/<name>/`.
 *
 * @example
 * ```ts
 * const preset: ModelPreset<VisionTransformerConfig> = VIT_PRESETS.digits; // { family: 'vit', task, config }
 * ```
 */
export interface ModelPreset<Config> {
  family: string;
  task: string;
  config: Config;
}
