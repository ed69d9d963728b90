// Rules of the trusted-publishing audit (../audits/trusted-publishing.ts).
import { defineRules } from '../../rules';
import { REF } from './refs';

export const TRUSTED_PUBLISHING = {
  id: 'trusted-publishing',
  rules: defineRules({
    USE_TRUSTED_PUBLISHING: {
      id: 'workflow/use-trusted-publishing',
      title: 'Publishes with a long-lived token instead of Trusted Publishing',
      severity: 'low',
      why: "A registry token stored as a secret can be read by any step given it and publishes from anywhere until revoked; PyPI, npm, crates.io, RubyGems and NuGet accept the workflow's short-lived OIDC identity instead (Trusted Publishing).",
      remediation:
        'Configure a Trusted Publisher for this workflow on the registry, give the publishing job `id-token: write`, drop the token input or secret, and revoke the token.',
      spec: ['S6-10', 'S8-13'],
      references: [
        { title: 'PyPI: Trusted Publishers', url: 'https://docs.pypi.org/trusted-publishers/' },
        REF.zizmor('use-trusted-publishing')
      ]
    }
  })
};
