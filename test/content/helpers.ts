// Shared by the content tests: run a snippet as a change that adds it (the PR
// scan's view) or as a whole file (the tree scan's view).
import { type Line, analyseAdded, analyseText } from '@security-actions/core/content';
import type { Finding } from '@security-actions/core';

export const lines = (text: string, from = 1): Line[] => text.split('\n').map((t, i) => ({ line: from + i, text: t }));

/** Findings on `text` as lines a change adds to `path`. */
export const added = (path: string, text: string, before?: string): Finding[] =>
  analyseAdded(path, lines(text), { before });

/** Findings on `text` as a whole file of a checkout. */
export const file = (path: string, text: string): Finding[] => analyseText(path, text);

/** The severities a rule reported, in order. */
export const severities = (findings: Finding[], id: string): string[] =>
  findings.filter((f) => f.ruleId === id).map((f) => f.severity);
