// Commands that call GitHub take the token from --token or the GITHUB_TOKEN
// environment variable; it goes only into the input the action reads (and is
// registered as a secret there), never to output.
import type { ActionDefinition } from '@security-actions/core';

export function withEnvToken(definition: ActionDefinition): ActionDefinition {
  return {
    ...definition,
    run(ctx) {
      const key = 'INPUT_TOKEN';
      if (!ctx.env[key] && process.env.GITHUB_TOKEN) ctx.env[key] = process.env.GITHUB_TOKEN;
      return definition.run(ctx);
    }
  };
}
