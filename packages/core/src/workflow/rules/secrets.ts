// Rules of the secrets audit (../audits/secrets.ts).
import { defineRules } from '../../rules';
import { REF } from './refs';

export const SECRETS = {
  id: 'secrets',
  rules: defineRules({
    ALL_SECRETS: {
      id: 'workflow/all-secrets',
      title: '`toJSON(secrets)`, `secrets[...]` or `secrets: inherit` exposes every secret',
      severity: 'high',
      why: 'Serialising the whole secrets context hands every repository and organisation secret to one step; indexing it with an expression or `secrets: inherit` gives a step or a called workflow any secret, not the ones it needs. High for `toJSON(secrets)`, medium for the other two.',
      remediation:
        'Pass only the named secrets the step or the called workflow needs (`secrets: { TOKEN: ${{ secrets.TOKEN }} }`).',
      spec: ['S6-7', 'S6-4'],
      references: [REF.ghost, REF.zizmor('overprovisioned-secrets'), REF.zizmor('secrets-inherit')]
    },
    SECRETS_EXFIL: {
      id: 'workflow/secrets-to-outside-host',
      title: 'Workflow sends secrets to an outside host',
      severity: 'critical',
      why: 'A step that reads secrets and sends data to a host other than GitHub or the package index is how GhostAction and Shai-Hulud stole tokens.',
      remediation:
        "Remove the step; if a secret must reach a service, use that service's official action pinned by SHA, or OIDC.",
      spec: ['S6-7', 'S8-16'],
      references: [REF.ghost]
    }
  })
};
