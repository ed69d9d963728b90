// Rules of the unpinned-images audit (../audits/unpinned-images.ts).
import { defineRules } from '../../rules';
import { REF } from './refs';

export const UNPINNED_IMAGES = {
  id: 'unpinned-images',
  rules: defineRules({
    UNPINNED_IMAGE: {
      id: 'workflow/unpinned-images',
      title: 'Container image not pinned to a digest',
      severity: 'high',
      why: 'A container tag can be re-pushed with different content by whoever controls the registry account; only an `@sha256:` digest names one image. High for `latest` or no tag, medium for another tag, low when the image comes from an expression that cannot be read.',
      remediation: 'Pin the image by digest, keeping the tag for readers: `image: node:20@sha256:<digest>`.',
      spec: ['S8-9'],
      references: [REF.zizmor('unpinned-images')]
    }
  })
};
