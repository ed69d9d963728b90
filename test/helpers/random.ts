// Seeded randomness for property tests: a failing case comes back on every run.

/** Integers below `k`, from a linear congruential generator started at `seed`. */
export function seeded(seed: number): (k: number) => number {
  let x = seed;
  return (k) => ((x = (x * 1103515245 + 12345) >>> 0) >>> 8) % k;
}

/** `start` followed by 1 to `most` + 1 of `pieces`, drawn with `rnd`. */
export function piecesText(rnd: (k: number) => number, pieces: readonly string[], most: number, start = ''): string {
  let text = start;
  for (let p = rnd(most); p >= 0; p--) text += pieces[rnd(pieces.length)];
  return text;
}
