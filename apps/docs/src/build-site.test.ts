import { describe, expect, it } from 'vitest';
import { collectPages } from './build-site';

describe('docs site', () => {
  it('has a page for the README, the architecture and every package', () => {
    const slugs = collectPages().map((page) => page.slug);
    expect(slugs).toEqual(expect.arrayContaining(['index', 'architecture', 'backends', 'attention', 'tokenizers', 'training', 'models', 'viz']));
  });
});
