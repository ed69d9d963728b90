// The core content analysers as the tree-wide check of `scan`.
import { contentCheckDefinition } from '@security-actions/core/content';
import type { Check, Options } from './types';

/** Every file of the checkout through the content rules (Unicode, obfuscation, malicious code, opaque binaries). */
export const contentCheck: Check = {
  name: contentCheckDefinition.name,
  load: async () => contentCheckDefinition,
  inputs: {},
  looksFor: 'file',
  optOut: 'content'
};

export const CONTENT_OPTIONS: Options = {
  content: {
    type: 'boolean',
    help: 'read every file of the checkout for hidden Unicode, obfuscated or malicious code and opaque binaries (the default); --no-content skips it'
  }
};
