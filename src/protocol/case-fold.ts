// Case-insensitive comparison for push rules, whose spec leaves "case insensitive" to the
// implementation. We lower-case each code point on its own (so the result never depends on
// neighbouring characters, as String#toLowerCase's final-sigma rule does) and keep a code
// point unchanged when its lower case is not a single code point of the same UTF-16 length
// (U+0130 → "i̇"). Folded text therefore lines up index for index with the original, which
// lets word-boundary checks read the original characters.

// Anything above U+007F needs the per-code-point path.
const NON_ASCII = /[\u0080-\uffff]/;
// Bounded so arbitrary input cannot grow it without limit; common scripts fit easily.
const FOLD_CACHE_LIMIT = 8192;
const foldCache = new Map<number, string>();

function foldCodePoint(codePoint: number): string {
  const cached = foldCache.get(codePoint);
  if (cached !== undefined) return cached;
  const original = String.fromCodePoint(codePoint);
  const lower = original.toLowerCase();
  const folded = lower.length === original.length && [...lower].length === 1 ? lower : original;
  if (foldCache.size < FOLD_CACHE_LIMIT) foldCache.set(codePoint, folded);
  return folded;
}

/** `text` with every code point lower-cased where that keeps its UTF-16 length. */
export function foldCase(text: string): string {
  if (!NON_ASCII.test(text)) return text.toLowerCase();
  let out = '';
  for (const char of text) {
    const codePoint = char.codePointAt(0) as number;
    out += codePoint < 0x80 ? char.toLowerCase() : foldCodePoint(codePoint);
  }
  return out;
}
