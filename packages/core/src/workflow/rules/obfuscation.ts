// Rules of the obfuscation audit (../audits/obfuscation.ts).
import { defineRules } from '../../rules';
import { REF } from './refs';

export const OBFUSCATION = {
  id: 'obfuscation',
  rules: defineRules({
    OBFUSCATION: {
      id: 'workflow/obfuscation',
      title: 'Obfuscated expression or action reference',
      severity: 'low',
      why: 'A constant written as an expression, a `uses:` path that walks with `..` or empty parts, or a `with:` given as one expression hides from reviewers and tools what the workflow runs or passes; attackers use the same tricks to slip a change past review. Informational for `with:` as an expression.',
      remediation: 'Write the constant, the normalised path (`owner/repo/path@ref`) and the `with:` inputs directly.',
      spec: ['S8-16'],
      references: [REF.zizmor('obfuscation')]
    }
  })
};
