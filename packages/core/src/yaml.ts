// YAML with source positions, shared by the config loader and the workflow
// readers so every YAML error reads the same: `file:line: message`.
import { LineCounter, parseDocument, type Document, type Node } from 'yaml';
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
  return {
    file,
    doc,
    lineCounter,
    pos: (node) => {
      const offset = node?.range?.[0] ?? 0;
      const { line, col } = lineCounter.linePos(offset);
      return { line, column: col };
    }
  };
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
