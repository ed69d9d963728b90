// Rules of the cache-poisoning audit (../audits/cache-poisoning.ts).
import { defineRules } from '../../rules';
import { REF } from './refs';

export const CACHE_POISONING = {
  id: 'cache-poisoning',
  rules: defineRules({
    CACHE_POISONING: {
      id: 'workflow/cache-poisoning',
      title: 'Release build restores a cache',
      severity: 'medium',
      why: "Caches are shared by every workflow that runs on the default branch; code that runs in one of them (an injection, a compromised tool) can write an entry the release build later restores, and the poisoned files end up in what is published (Ultralytics' PyPI releases 8.3.41 and 8.3.42). Low when the job runs on a release event but ships nothing (it neither publishes nor hands an artifact to a job that does).",
      remediation:
        'Do not restore caches in workflows that build or publish releases: remove `actions/cache` and set the caching input of setup actions to false (`cache: ""`, `enable-cache: false`) in those jobs.',
      spec: ['S8-16', 'S8-15'],
      references: [REF.ultralytics, REF.zizmor('cache-poisoning')]
    }
  })
};
