// The content analysers: one module that both the PR scan (the lines a
// change adds) and the tree-wide scan (every file of a checkout) call.
//   analyseAdded(path, lines, ctx)  → findings on the added lines of one file (objects or joined)
//   analyseText(path, text)         → findings on a whole text file
//   analyseFile(path, bytes|text)   → the same, or the binary rules for a binary
//   BlobAnalyser / analyseBinary    → binaries streamed from git
//   CONTENT_REGISTRY                → every rule above, for an action's registry
//   contentCheckDefinition          → every file of a checkout, as a check of `scan`
//   judgeIndexVariable              → an index option's variable judged by the whole file's definitions
export type { Line } from './source';
export {
  BlobAnalyser,
  type BlobFacts,
  analyseBinary,
  binaryOnlyChange,
  type ChangedBinary,
  isRasterImage
} from './binary';
export {
  type AddedContext,
  type JoinedLines,
  CONTENT_REGISTRY,
  CONTENT_RULES,
  analyseAdded,
  analyseFile,
  analyseText,
  isBinary
} from './analyse';
export { contentCheckDefinition } from './check';
export { judgeIndexVariable } from './shell';
