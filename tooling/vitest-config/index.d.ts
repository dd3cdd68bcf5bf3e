import type { UserConfig } from 'vitest/config';

/** Shared heed Vitest settings, with per-package overrides of the `test` block. */
export declare function heedVitestConfig(overrides?: UserConfig['test']): UserConfig;
