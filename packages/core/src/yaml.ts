// YAML with source positions, shared by the config loader and the workflow
// readers so every YAML error reads the same: `file:line: message`.
import { type Alias, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import { fileError } from './errors';

export interface YamlFile {
  file: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** 1-based line and column of a node. */
  pos(node: Node | null | undefined): { line: number; column: number };
}

/** Parses YAML with positions; a syntax error becomes one line naming file and line. */
export function parseYamlFile(text: string, file: string): YamlFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) throw yamlError(doc, text, file);
  const pos = (node: Node | null | undefined) => {
    const offset = node?.range?.[0] ?? 0;
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const unresolved = unresolvedAlias(doc);
  if (unresolved) throw fileError(file, pos(unresolved).line, unresolvedMessage(unresolved));
  return { file, doc, lineCounter, pos };
}

/** The first alias that names no anchor: the parser accepts it, and reading the data then fails without a position. */
export function unresolvedAlias(doc: Document.Parsed): Alias | undefined {
  let unresolved: Alias | undefined;
  visit(doc, {
    Alias(_, node) {
      if (node.resolve(doc)) return undefined;
      unresolved = node;
      return visit.BREAK;
    }
  });
  return unresolved;
}

export const unresolvedMessage = (a: Alias): string =>
  `invalid YAML: the alias *${a.source} names no anchor set before it`;

/**
 * The file's data as plain values. Aliases that expand to far more data than
 * the file holds (an alias bomb) are refused with the line of the first alias.
 */
export function yamlData(y: YamlFile): unknown {
  try {
    return y.doc.toJS();
  } catch {
    let first: Node | undefined;
    visit(y.doc, {
      Alias(_, node) {
        first = node;
        return visit.BREAK;
      }
    });
    throw fileError(y.file, y.pos(first).line, 'invalid YAML: its aliases expand to far more data than it holds');
  }
}

/** The first parse error of a document as a UserError naming file and line. */
export function yamlError(doc: Document.Parsed, text: string, file: string): Error {
  const e = doc.errors[0];
  // An error found at end of input (an unclosed bracket) points past the last
  // line; name the last line instead, which is where an editor shows it.
  const lastLine = text.replace(/\n$/, '').split('\n').length;
  const line = e.linePos ? Math.min(e.linePos[0].line, lastLine) : undefined;
  return fileError(file, line, `invalid YAML: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`);
}
