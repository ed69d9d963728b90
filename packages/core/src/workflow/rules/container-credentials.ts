// Rules of the hardcoded-container-credentials audit (../audits/container-credentials.ts).
import { defineRules } from '../../rules';
import { REF } from './refs';

export const CONTAINER_CREDENTIALS = {
  id: 'hardcoded-container-credentials',
  rules: defineRules({
    CONTAINER_CREDENTIALS: {
      id: 'workflow/hardcoded-container-credentials',
      title: 'Container registry password written in the workflow',
      severity: 'high',
      why: 'A password in `container.credentials` or `services.<name>.credentials` is readable by anyone who can read the repository, forks included, and stays in its history after removal.',
      remediation:
        'Store the password as an encrypted secret (`password: ${{ secrets.REGISTRY_PASSWORD }}`), then revoke the exposed one.',
      spec: ['S6-7'],
      references: [REF.zizmor('hardcoded-container-credentials')]
    }
  })
};
