// Errors meant for the user: one line, naming the file (and line) or input at
// fault, never a stack trace and never a secret.

/** An error whose message is already fit to show a user as is. */
export class UserError extends Error {
  override name = 'UserError';
}

/**
 * Text from an input, fit for a one-line message: line breaks and other
 * control characters (a carriage return would overwrite the terminal line it
 * is printed on) written as escapes.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/g, (c) =>
    c === '\n' ? '\\n' : c === '\r' ? '\\r' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
  );
}

/** `file:line: message` for errors about a specific input file, on one line whatever the file held. */
export function fileError(file: string, line: number | undefined, message: string): UserError {
  return new UserError(printable(`${file}${line ? `:${line}` : ''}: ${message}`));
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

/**
 * Query and fragment parameters whose value is a credential, by name: OAuth and
 * API tokens, keys, passwords, signatures (S3, GCS and Azure pre-signed URLs).
 */
const SECRET_PARAM =
  /token|secret|passw|pwd|signature|credential|auth|session|key$|sig$|^(?:x-amz-|x-goog-)|^(?:pass|code)$/i;

/** Punctuation that ends a sentence rather than a URL (`see https://h/?a=b.`). */
const TRAILING = /[).,;:!?'\]]+$/;

/**
 * A URL with its credentials replaced by ***: the userinfo (`user:password@`,
 * or a token given as the user name; `git@` is kept, it is SSH's convention)
 * and the values of query and fragment parameters named like credentials.
 */
function redactUrl(scheme: string, rest: string): string {
  const end = rest.search(/[/?#]/);
  const authority = end < 0 ? rest : rest.slice(0, end);
  const at = authority.lastIndexOf('@');
  let tail = rest;
  if (at >= 0 && authority.slice(0, at) !== 'git') tail = `***${rest.slice(at)}`;
  const q = tail.search(/[?#]/);
  if (q < 0) return scheme + tail;
  const params = tail
    .slice(q)
    .replace(/([?#&;])([^=&#;]+)=([^&#;]*)/g, (m, sep: string, name: string, value: string) => {
      if (!SECRET_PARAM.test(decodeName(name)) || !value) return m;
      const kept = TRAILING.exec(value)?.[0] ?? '';
      return `${sep}${name}=***${kept}`;
    });
  return scheme + tail.slice(0, q) + params;
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/**
 * Replace every registered secret, anything shaped like a GitHub or PyPI
 * token, and the credentials in every URL (userinfo, token-named query
 * parameters) with ***.
 */
export function redact(text: string): string {
  let out = text;
  // Longest first: a secret that contains a shorter one must go whole, not leave its tail.
  for (const s of [...registered].sort((a, b) => b.length - a.length)) out = out.split(s).join('***');
  out = out.replace(/\b([a-z][a-z0-9+.-]*:\/\/)([^\s"<>`]+)/gi, (_m, scheme: string, rest: string) =>
    redactUrl(scheme, rest)
  );
  // No \b anchors: `_` is a word character, so `x_ghp_...` or `ghp_..._x` would not match and leak whole.
  return out.replace(/gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|pypi-AgE[A-Za-z0-9_-]{40,}/g, '***');
}

/**
 * Why `text` is not JSON, as `:LINE: not valid JSON (what)`, to follow a file
 * name: the line of the parser's position, or the last line when the text
 * ends before the JSON does.
 */
export function jsonProblem(text: string, e: unknown): string {
  const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0];
  const at = /at position (\d+)/.exec(msg);
  const ended = /end of JSON input/.test(msg);
  const line = at ? text.slice(0, Number(at[1])).split('\n').length : ended ? text.trimEnd().split('\n').length : 0;
  // V8 quotes the text after an unexpected token; only the token is kept (the text may hold a secret).
  const token = /^Unexpected token (.+?), "/.exec(msg)?.[1];
  const what = ended
    ? 'the text ends before the JSON does'
    : token
      ? `unexpected character ${token}`
      : msg.replace(/\s*(in JSON )?at position \d+.*$/, '');
  return `${line ? `:${line}` : ''}: not valid JSON (${what.charAt(0).toLowerCase()}${what.slice(1)})`;
}

/** The message of any thrown value, as one redacted line. */
export function oneLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return printable(redact(msg.split(/\r?\n/).find((l) => l.trim()) ?? 'unknown error').trim());
}
