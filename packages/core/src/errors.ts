// Errors meant for the user: one line, naming the file (and line) or input at
// fault, never a stack trace and never a secret.

/** An error whose message is already fit to show a user as is. */
export class UserError extends Error {
  override name = 'UserError';
}

/** `file:line: message` for errors about a specific input file. */
export function fileError(file: string, line: number | undefined, message: string): UserError {
  return new UserError(`${file}${line ? `:${line}` : ''}: ${message}`);
}

const registered = new Set<string>();

/** Register values that must never appear in output (tokens, passwords). */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 4) registered.add(value);
}

/** Replace every registered secret, and anything shaped like a GitHub token, with ***. */
export function redact(text: string): string {
  let out = text;
  for (const s of registered) out = out.split(s).join('***');
  return out.replace(/\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})\b/g, '***');
}

/** The message of any thrown value, as one redacted line. */
export function oneLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return redact(msg.split(/\r?\n/).find((l) => l.trim()) ?? 'unknown error').trim();
}
