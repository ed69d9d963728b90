// The shapes the signing engine and its helpers share; a leaf, so no module
// needs engine.ts for a type.
import type { EngineResult } from '@security-actions/core';
import type { BundleVerifier } from '@security-actions/core/sigstore';
import type { ReleaseApi } from './github';
import type { Claims } from './provenance';
import type { SerializedBundle } from './signer';

export const PROVENANCE_NAME = 'multiple.intoto.jsonl';
export const CHECKSUMS_NAME = 'SHA256SUMS';

export interface Options {
  provenance: boolean;
  verify: boolean;
  checksums: boolean;
  overwrite: boolean;
  requireSignedTag: boolean;
  allowedEvents: string[];
  /** Where to write outputs; '' = beside each file (provenance and checksums beside the first). */
  outputDir: string;
  /** Release to attach to, '' for none. */
  releaseTag: string;
}

export interface RunInfo {
  eventName: string;
  repository: string;
  sha: string;
  /** The tag this run releases (release event, release-tag or a tag ref), '' if none. */
  tag: string;
  serverUrl: string;
}

export interface Signing {
  claims: Claims;
  signFile(data: Buffer): Promise<SerializedBundle>;
  attest(statement: object): Promise<SerializedBundle>;
  certificatePem(): Promise<string>;
}

export interface Deps {
  /** Absolute paths of the files to sign (already globbed, non-empty). */
  files: string[];
  readFile(path: string): Promise<Buffer>;
  writeFile(path: string, data: string): Promise<void>;
  /** Started only after the guards pass. */
  signing(): Promise<Signing>;
  /** The verifier for this run's trust root. */
  verifier(): Promise<BundleVerifier>;
  /** Undefined when no token is available. */
  github?: ReleaseApi;
  log(message: string): void;
  concurrency?: number;
}

export interface SignedFile {
  file: string;
  sha256: string;
  bundle: string;
}

export interface SignResult extends EngineResult {
  outputs: Record<string, string>;
  preamble: string;
}
