// Rules of the known-compromised audit (../audits/known-compromised.ts).
import { defineRules } from '../../rules';
import { COMPROMISED_ACTIONS } from '../compromised';

export const KNOWN_COMPROMISED = {
  id: 'known-compromised',
  rules: defineRules({
    COMPROMISED: {
      id: 'workflow/compromised-action',
      title: 'Known-compromised action',
      severity: 'critical',
      why: "This action shipped malicious code: a pin to the listed commit runs it (it printed or sent the runner's secrets), and a tag or branch reference may have run it during the incident. Critical for a pin to a malicious commit, medium for a tag or branch of an affected repository.",
      remediation:
        'Pin a clean release by its full SHA (see the advisory), rotate every secret the workflows that ran the action could read, and review their logs from the incident window for leaked values.',
      spec: ['S8-9', 'S6-7'],
      references: [...new Map(COMPROMISED_ACTIONS.map((c) => [c.references[0].url, c.references[0]])).values()]
    }
  })
};
