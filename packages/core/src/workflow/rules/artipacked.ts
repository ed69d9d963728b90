// Rules of the artipacked audit (../audits/artipacked.ts).
import { defineRules } from '../../rules';
import { REF } from './refs';

export const ARTIPACKED = {
  id: 'artipacked',
  rules: defineRules({
    ARTIPACKED: {
      id: 'workflow/checkout-persist-credentials',
      title: 'actions/checkout leaves the token in the checkout',
      severity: 'medium',
      why: "Without `persist-credentials: false`, actions/checkout stores the job's GITHUB_TOKEN where every later step (and any code from the repository it runs) can read it; uploading the workspace as an artifact publishes it (ArtiPACKED). High when the workspace is uploaded afterwards, medium in workflows anyone can start, low otherwise; one lower from checkout v6, which keeps the token out of `.git/config`.",
      remediation:
        'Add `with: persist-credentials: false` to actions/checkout, and pass a token explicitly to the one step that needs to push.',
      spec: ['S6-4', 'S8-16'],
      references: [
        {
          title: 'ArtiPACKED: hacking giants through a race condition in GitHub Actions artifacts',
          url: 'https://unit42.paloaltonetworks.com/github-repo-artifacts-leak-tokens/'
        },
        REF.zizmor('artipacked')
      ]
    }
  })
};
