// Active organization webhooks: delivered without TLS (or its verification),
// or without a secret to sign them.
import { defineRules, describeApiError, rulesOf } from '@security-actions/core';
import { listAll } from '../rest';
import type { OrgCheck } from '../types';

export const RULES = defineRules({
  webhookInsecure: {
    id: 'org/webhook-insecure',
    title: 'Organization webhook delivers over plain HTTP or without certificate checks',
    severity: 'medium',
    why: 'Webhook payloads describe pushes, members and repositories; sent without TLS verification they can be read or altered on the way.',
    remediation: 'Use an https:// URL and turn SSL verification on (Organization settings → Webhooks → Edit).',
    spec: ['S6-4']
  },
  webhookNoSecret: {
    id: 'org/webhook-no-secret',
    title: 'Organization webhook has no secret',
    severity: 'low',
    why: "Without a secret the receiver cannot tell GitHub's deliveries from forged ones; anyone who learns the URL can trigger it.",
    remediation: 'Set a random secret on the webhook and verify the X-Hub-Signature-256 header in the receiver.',
    spec: ['S6-4']
  }
});

export const webhooks: OrgCheck = {
  id: 'webhooks',
  scope: 'org',
  rules: rulesOf(RULES),
  async run({ io, org, add, skip }) {
    interface Hook {
      id: number;
      name: string;
      active: boolean;
      config: { url?: string; insecure_ssl?: string | number; secret?: string };
    }
    let hooks: Hook[];
    try {
      hooks = await listAll<Hook>(io, 'GET /orgs/{org}/hooks', { org });
    } catch (e) {
      for (const r of [RULES.webhookInsecure, RULES.webhookNoSecret])
        skip(r.id, `not checked: ${describeApiError(e, 'organization webhooks: read')}`, org);
      return;
    }
    for (const h of hooks.filter((x) => x.active)) {
      // Only the host: the path and query of a webhook URL often carry a token.
      const url = h.config?.url ?? '';
      let host = '?';
      try {
        host = new URL(url).host;
      } catch {
        // keep '?'
      }
      const props = { hook: h.id, host };
      if (/^http:/i.test(url))
        add(RULES.webhookInsecure, undefined, {
          message: `Webhook ${h.id} of ${org} delivers to ${host} over plain http.`,
          key: `${h.id}/http`,
          properties: props
        });
      else if (String(h.config?.insecure_ssl) === '1') {
        add(RULES.webhookInsecure, undefined, {
          message: `Webhook ${h.id} of ${org} delivers to ${host} without verifying its TLS certificate.`,
          key: `${h.id}/ssl`,
          properties: props
        });
      }
      if (!h.config?.secret)
        add(RULES.webhookNoSecret, undefined, {
          message: `Webhook ${h.id} of ${org} (to ${host}) has no secret.`,
          key: `${h.id}`,
          properties: props
        });
    }
  }
};
