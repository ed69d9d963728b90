// The fuzz suite's harness (fast-check): every property runs for a bounded
// time from one seed, printed with any failure together with the command that
// replays it; the input it failed on is kept under test/fuzz/regressions/
// <property>/, where regressions.test.ts replays every one as a normal test.
// Not a test file.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from '@jest/globals';
import fc from 'fast-check';
import { REPO_ROOT } from '../harness/run-action';

/** One seed per run (FUZZ_SEED to replay); fast-check derives every input from it. */
export const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
/** The time each property runs for, in ms (FUZZ_BUDGET_MS scales every property's budget to it). */
export const budget = (ms: number) => Math.round((ms * Number(process.env.FUZZ_BUDGET_MS ?? 4000)) / 4000);

export const REGRESSIONS = join(REPO_ROOT, 'test', 'fuzz', 'regressions');

export interface Property<T> {
  name: string;
  /** How inputs are made. */
  arb: fc.Arbitrary<T>;
  /** Throws (an expect failure) when the input breaks a promise. */
  check(input: T): void | Promise<void>;
  /**
   * Defects found in code this suite may not change yet, each with the inputs
   * that show it: the fuzzer generates around them, and their kept inputs are
   * replayed as expected failures, so a fix flips them and the entry must go.
   */
  known?: Known<T>[];
}

export interface Known<T> {
  /** Where it is and what is wrong, for whoever fixes it. */
  why: string;
  matches(input: T): boolean;
}

/** The known defect an input shows, if any. */
export const knownDefect = <T>(p: Property<T>, input: T): Known<T> | undefined =>
  p.known?.find((k) => k.matches(input));

/** Runs a property for `ms`; on failure keeps the input as a regression fixture and says how to replay. */
export async function fuzz<T>(p: Property<T>, ms: number): Promise<number> {
  let runs = 0;
  // When the time is up, fast-check stops waiting for the run in flight but does not stop it: the test must not end
  // before it does (an import after Jest's teardown, seen in CI, rejects and fails the whole run's exit status).
  let inFlight: Promise<unknown> = Promise.resolve();
  const prop = fc.asyncProperty(p.arb, async (input) => {
    fc.pre(!knownDefect(p, input));
    runs++;
    const run = Promise.resolve(p.check(input));
    inFlight = run.catch(() => undefined);
    await run;
  });
  const out = await fc.check(prop, {
    seed: SEED,
    numRuns: 1_000_000,
    interruptAfterTimeLimit: budget(ms),
    markInterruptAsFailure: false
  });
  await inFlight;
  if (out.failed) {
    const input = out.counterexample?.[0];
    const text = `${JSON.stringify({ input }, null, 1)}\n`;
    const dir = join(REGRESSIONS, p.name);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${createHash('sha256').update(text).digest('hex').slice(0, 12)}.json`);
    writeFileSync(file, text);
    const why = out.errorInstance instanceof Error ? out.errorInstance.message : String(out.errorInstance);
    throw new Error(
      `fuzz property ${p.name} failed (seed ${SEED}, path "${out.counterexamplePath}"); ` +
        `the input is kept in ${file}.\nReplay: FUZZ_SEED=${SEED} npm test -- test/fuzz\n${why}`
    );
  }
  return runs;
}

/** The inputs kept for a property, by file name. */
export function regressions(name: string): [string, unknown][] {
  const dir = join(REGRESSIONS, name);
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  return files.sort().map((f) => [f, (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { input: unknown }).input]);
}

/** What a library or runtime says in its own words; never part of a message to a user. */
export const RAW =
  /ERR_[A-Z_]+|Cannot read propert|is not a function|is not iterable|past end of buffer|\bundefined\b|\[object |TypeError|RangeError|SyntaxError|Maximum call stack/;

/** A message is one line, names `file` and a line of it (1 to lines + 1), and is in the suite's words. */
export function expectOneLineNaming(message: string, file: string, text: string): void {
  expect(message).not.toMatch(/[\r\n]/);
  expect(message).not.toMatch(RAW);
  const m = new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+): \\S`).exec(message);
  expect(m ? message : `no ${file}:LINE: in "${message}"`).toBe(message);
  const line = Number(m![1]);
  expect(line).toBeGreaterThanOrEqual(1);
  expect(line).toBeLessThanOrEqual(text.split('\n').length + 1);
}

export type Edit =
  | { kind: 'delete'; at: number; len: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'duplicate-line'; at: number }
  | { kind: 'indent'; at: number; by: number }
  | { kind: 'truncate'; at: number };

/** Random damage to a real file: deletions, insertions of special tokens or random text, lines doubled or re-indented, a cut. */
export function mutatedText(seeds: string[], specials: string[]): fc.Arbitrary<string> {
  const at = fc.double({ min: 0, max: 1, noNaN: true });
  const edit: fc.Arbitrary<Edit> = fc.oneof(
    fc.record({ kind: fc.constant('delete' as const), at, len: fc.integer({ min: 1, max: 40 }) }),
    fc.record({
      kind: fc.constant('insert' as const),
      at,
      text: fc.oneof(
        fc.constantFrom(...specials),
        fc.string({ maxLength: 12 }),
        fc.string({ unit: 'binary', maxLength: 6 })
      )
    }),
    fc.record({ kind: fc.constant('duplicate-line' as const), at }),
    fc.record({ kind: fc.constant('indent' as const), at, by: fc.integer({ min: -4, max: 4 }) }),
    fc.record({ kind: fc.constant('truncate' as const), at })
  );
  return fc
    .record({
      seed: fc.integer({ min: 0, max: seeds.length - 1 }),
      edits: fc.array(edit, { minLength: 1, maxLength: 5 })
    })
    .map(({ seed, edits }) => edits.reduce(applyEdit, seeds[seed]));
}

function applyEdit(text: string, e: Edit): string {
  const pos = Math.floor(e.at * text.length);
  const lines = text.split('\n');
  const ln = Math.min(lines.length - 1, Math.floor(e.at * lines.length));
  switch (e.kind) {
    case 'delete':
      return text.slice(0, pos) + text.slice(pos + e.len);
    case 'insert':
      return text.slice(0, pos) + e.text + text.slice(pos);
    case 'duplicate-line':
      return [...lines.slice(0, ln + 1), lines[ln], ...lines.slice(ln + 1)].join('\n');
    case 'indent':
      lines[ln] = e.by >= 0 ? ' '.repeat(e.by) + lines[ln] : lines[ln].replace(new RegExp(`^ {0,${-e.by}}`), '');
      return lines.join('\n');
    case 'truncate':
      return text.slice(0, pos);
  }
}

/** Real files below `dir` whose name `accept` takes, read as text (the seeds of mutatedText). */
export function seedFiles(dir: string, accept: (name: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (accept(e.name)) out.push(readFileSync(join(d, e.name), 'utf8'));
    }
  };
  walk(dir);
  return out;
}
