// Bit-parallel ("Shift-And") search for one fixed-width glob segment: literal code points and
// `?` wildcards. One pass over the text finds every match end in O(text × ⌈width / 32⌉), so a
// user-supplied pattern such as `a?a?a?…` cannot make matching cost text × pattern, which
// trying each start in turn would (hundreds of milliseconds on a 64 KiB body).

export interface ShiftAnd {
  /** Width in code points (at least 1). */
  readonly width: number;
  readonly words: number;
  /** Per code point of the pattern: the positions it (or a `?`) may occupy. */
  readonly masks: ReadonlyMap<number, Uint32Array>;
  /** For any other code point: only the `?` positions. */
  readonly wildcard: Uint32Array;
}

/** `units`: the segment's code points, null for `?`. */
export function buildShiftAnd(units: readonly (number | null)[]): ShiftAnd {
  const width = units.length;
  const words = Math.ceil(width / 32);
  const wildcard = new Uint32Array(words);
  units.forEach((unit, i) => {
    if (unit === null) wildcard[i >>> 5] = (wildcard[i >>> 5] as number) | (1 << (i & 31));
  });
  const masks = new Map<number, Uint32Array>();
  units.forEach((unit, i) => {
    if (unit === null) return;
    let mask = masks.get(unit);
    if (!mask) masks.set(unit, (mask = Uint32Array.from(wildcard)));
    mask[i >>> 5] = (mask[i >>> 5] as number) | (1 << (i & 31));
  });
  return { width, words, masks, wildcard };
}

/**
 * The leftmost start ≥ `from` (a UTF-16 index) where the segment matches and `accept(start,
 * end)` agrees, or -1. Matches are found in order of their ends, which — the width being
 * fixed — is also the order of their starts.
 */
export function scanShiftAnd(automaton: ShiftAnd, text: string, from: number, accept?: (start: number, end: number) => boolean): number {
  const { width, words, masks, wildcard } = automaton;
  const state = new Uint32Array(words);
  // UTF-16 index of each of the last `width` code points, to recover a match's start.
  const starts = new Int32Array(width);
  const lastWord = (width - 1) >>> 5;
  const lastBit = 1 << ((width - 1) & 31);
  let index = from;
  for (let k = 0; index < text.length; k++) {
    const codePoint = text.codePointAt(index) as number;
    const next = index + (codePoint > 0xffff ? 2 : 1);
    starts[k % width] = index;
    const mask = masks.get(codePoint) ?? wildcard;
    let carry = 1;
    for (let j = 0; j < words; j++) {
      const previous = state[j] as number;
      state[j] = ((previous << 1) | carry) & (mask[j] as number);
      carry = previous >>> 31;
    }
    if (((state[lastWord] as number) & lastBit) !== 0) {
      const start = starts[(k + 1) % width] as number;
      if (!accept || accept(start, next)) return start;
    }
    index = next;
  }
  return -1;
}
