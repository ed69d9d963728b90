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
const listeners: ((secret: string) => void)[] = [];

/** Called for every secret registered from now on (the runner's log masking subscribes). */
export function onSecretRegistered(listener: (secret: string) => void): void {
  listeners.push(listener);
  for (const s of registered) listener(s);
}

/** Register values that must never appear in output (tokens, passwords). */
export function registerSecret(value: string | undefined): void {
  if (!value || value.length < 4 || registered.has(value)) return;
  registered.add(value);
  for (const l of listeners) l(value);
}

/** Replace every registered secret, and anything shaped like a GitHub token, with ***. */
export function redact(text: string): string {
  let out = text;
  // Longest first: a secret that contains a shorter one must go whole, not leave its tail.
  for (const s of [...registered].sort((a, b) => b.length - a.length)) out = out.split(s).join('***');
  // No \b anchors: `_` is a word character, so `x_ghp_...` or `ghp_..._x` would not match and leak whole.
  return out.replace(/gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}/g, '***');
}

/** The message of any thrown value, as one redacted line. */
export function oneLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return redact(msg.split(/\r?\n/).find((l) => l.trim()) ?? 'unknown error').trim();
}
