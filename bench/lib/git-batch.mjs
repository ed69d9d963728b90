// Reads many objects of a mirror (`fetch`'s bare repositories) in one
// `git cat-file --batch` call, for the benchmarks that read real projects.
import { execFileSync } from 'node:child_process';

/** The content of each object (`<commit>:<path>` or a blob id), in the order given. */
export function catFiles(gitDir, specs) {
  const out = execFileSync('git', ['-C', gitDir, 'cat-file', '--batch'], {
    input: specs.join('\n') + '\n',
    maxBuffer: 1 << 30
  });
  const blobs = [];
  let off = 0;
  for (const spec of specs) {
    const nl = out.indexOf(10, off);
    const header = out.subarray(off, nl).toString();
    if (header.endsWith(' missing')) throw new Error(`${gitDir}: no object ${spec}`);
    const size = Number(header.split(' ')[2]);
    blobs.push(out.subarray(nl + 1, nl + 1 + size));
    off = nl + 1 + size + 1;
  }
  return blobs;
}
