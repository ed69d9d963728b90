// Rules of the untrusted-trigger audit (../audits/untrusted-trigger.ts).
import { defineRules } from '../../rules';
import { REF } from './refs';

export const UNTRUSTED_TRIGGER = {
  id: 'untrusted-trigger',
  rules: defineRules({
    UNTRUSTED_TRIGGER: {
      id: 'workflow/untrusted-trigger',
      title: 'New trigger on comments or discussions',
      severity: 'medium',
      why: "Anyone can open a discussion or comment; workflows on these events run with the repository's privileges and are a common command-and-control channel (Shai-Hulud).",
      remediation: 'Check `author_association` before acting on the event and never interpolate its body into scripts.',
      spec: ['S8-16'],
      references: [REF.ghost]
    }
  })
};
