// Rules of the unsound-conditions audit (../audits/conditions.ts).
import { defineRules } from '../../rules';
import { REF } from './refs';

export const UNSOUND_CONDITIONS = {
  id: 'unsound-conditions',
  rules: defineRules({
    UNSOUND_CONDITION: {
      id: 'workflow/unsound-condition',
      title: '`if:` is always true',
      severity: 'high',
      why: 'When an `if:` holds text besides one `${{ }}` (a second expression, words, or the newline a `|` block keeps), GitHub evaluates it as a string, and a non-empty string is true: the guard never stops the job or step.',
      remediation:
        'Write the whole condition as one expression (`if: ${{ a && b }}` or `if: a && b`), and use `|-` or `>-` for a multi-line condition.',
      spec: ['S8-16'],
      references: [REF.zizmor('unsound-condition')]
    },
    UNSOUND_CONTAINS: {
      id: 'workflow/unsound-contains',
      title: '`contains()` on a string lets a substring through',
      severity: 'high',
      why: "`contains('refs/heads/main refs/heads/release', github.ref)` tests for a substring, so `refs/heads/m` or any value inside the string passes. High when the tested value can be chosen by whoever starts the run (a branch name, an actor, an input, env), informational otherwise.",
      remediation:
        'Compare exactly, or test membership in a list: `contains(fromJSON(\'["refs/heads/main", "refs/heads/release"]\'), github.ref)`.',
      spec: ['S8-16'],
      references: [REF.zizmor('unsound-contains')]
    },
    UNSOUND_TERNARY: {
      id: 'workflow/unsound-ternary',
      title: 'Pseudo-ternary whose true value is falsy',
      severity: 'low',
      why: "`cond && x || y` yields y whenever x is falsy; with `x` = `''`, `0`, `false` or `null` the expression yields y even when cond holds, which silently inverts flags and branches.",
      remediation:
        "Reorder so the falsy value is the fallback (`!cond && 'y' || ''`), or use `case()`/`format()` instead of `&& ||`.",
      spec: ['S8-16'],
      references: [REF.zizmor('unsound-ternary')]
    }
  })
};
