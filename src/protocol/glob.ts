// Glob-style matching (appendices "Glob-style matching"): `*` matches zero or more characters
// and `?` exactly one. The spec defines nothing else, so every other character — `[`, `]`,
// `\` included — matches itself. A "character" is a Unicode code point.
//
// Globs are never turned into backtracking regular expressions: `*a*a*b` as
// /^.*?a.*?a.*?b$/ takes seconds against a few kilobytes of message body, and push rule
// patterns are user-supplied. A glob is instead split at its stars into segments of fixed
// width (literal runs and `?`s). Placing each segment at its leftmost possible position is
// then optimal, because a later placement can only end later. Short literal segments are
// found with indexOf; others with a bit-parallel automaton, so no pattern can make a search
// cost text × pattern.
import { foldCase } from './case-fold.ts';
import { buildShiftAnd, scanShiftAnd, type ShiftAnd } from './glob-automaton.ts';

/** A piece of a segment: a literal run, or null for `?`. */
type Piece = string | null;

interface Segment {
  readonly pieces: readonly Piece[];
  /** Width in code points. */
  readonly width: number;
  /** The whole segment when it is a short literal, searched with indexOf. */
  readonly literal: string | undefined;
  /** For every other non-empty segment. */
  readonly automaton: ShiftAnd | undefined;
}

/** Literals up to this many UTF-16 units are searched with indexOf: even when every position
 * is a candidate, a check costs at most this much. */
const SHORT_LITERAL = 32;

export interface GlobOptions {
  /** Fold case of pattern and text (push rules). The text passed to the matchers must then be
   * folded with foldCase too. Default false (event types in filters are case-sensitive). */
  readonly caseInsensitive?: boolean;
  /** Whether `?` is a wildcard. Filters only define `*`. Default true. */
  readonly questionMark?: boolean;
}

export interface Glob {
  readonly pattern: string;
  readonly caseInsensitive: boolean;
  /** One more than the number of stars; a glob without stars has one segment. */
  readonly segments: readonly Segment[];
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/** Index after the code point starting at `index`. */
function nextCodePoint(text: string, index: number): number {
  return isHighSurrogate(text.charCodeAt(index)) && isLowSurrogate(text.charCodeAt(index + 1)) ? index + 2 : index + 1;
}

/** Index of the code point ending at `index`. */
function previousCodePoint(text: string, index: number): number {
  return isLowSurrogate(text.charCodeAt(index - 1)) && isHighSurrogate(text.charCodeAt(index - 2)) ? index - 2 : index - 1;
}

function compileSegment(text: string, questionMark: boolean): Segment {
  const pieces: Piece[] = [];
  const units: (number | null)[] = [];
  let run = '';
  for (const char of text) {
    if (questionMark && char === '?') {
      if (run) pieces.push(run);
      run = '';
      pieces.push(null);
      units.push(null);
    } else {
      run += char;
      units.push(char.codePointAt(0) as number);
    }
  }
  if (run) pieces.push(run);
  const literal = pieces.length === 1 && typeof pieces[0] === 'string' && pieces[0].length <= SHORT_LITERAL ? pieces[0] : undefined;
  const automaton = literal === undefined && units.length > 0 ? buildShiftAnd(units) : undefined;
  return { pieces, width: units.length, literal, automaton };
}

/** Compiles a glob pattern. */
export function compileGlob(pattern: string, options: GlobOptions = {}): Glob {
  const caseInsensitive = options.caseInsensitive ?? false;
  const questionMark = options.questionMark ?? true;
  const source = caseInsensitive ? foldCase(pattern) : pattern;
  const segments = source.split('*').map((part) => compileSegment(part, questionMark));
  return { pattern, caseInsensitive, segments };
}

/** A glob that matches `text` literally (no wildcards), e.g. a display name. */
export function compileLiteral(text: string, options: Pick<GlobOptions, 'caseInsensitive'> = {}): Glob {
  const caseInsensitive = options.caseInsensitive ?? false;
  const source = caseInsensitive ? foldCase(text) : text;
  return { pattern: text, caseInsensitive, segments: [compileSegment(source, false)] };
}

/** End index of `segment` matched at `start`, or -1. */
function matchAt(text: string, start: number, segment: Segment): number {
  let index = start;
  for (const piece of segment.pieces) {
    if (piece === null) {
      if (index >= text.length) return -1;
      index = nextCodePoint(text, index);
    } else {
      if (!text.startsWith(piece, index)) return -1;
      index += piece.length;
    }
  }
  return index;
}

type Accept = (start: number, end: number) => boolean;

/** Leftmost start ≥ `from` where `segment` matches and `accept` agrees, or -1. */
function findSegment(text: string, from: number, segment: Segment, accept?: Accept): number {
  if (segment.automaton) return scanShiftAnd(segment.automaton, text, from, accept);
  const literal = segment.literal;
  if (literal) {
    for (let start = text.indexOf(literal, from); start >= 0; start = text.indexOf(literal, start + 1)) {
      if (!accept || accept(start, start + literal.length)) return start;
    }
    return -1;
  }
  // The empty segment matches everywhere.
  for (let start = from; start <= text.length; start = nextCodePoint(text, start)) {
    if (!accept || accept(start, start)) return start;
  }
  return -1;
}

/** Places the middle segments greedily from `from`; the end index, or -1. */
function matchMiddle(text: string, from: number, segments: readonly Segment[]): number {
  let index = from;
  for (let i = 1; i < segments.length - 1; i++) {
    const segment = segments[i] as Segment;
    const start = findSegment(text, index, segment);
    if (start < 0) return -1;
    index = matchAt(text, start, segment);
  }
  return index;
}

/** Whether the glob matches all of `text` (folded with foldCase for case-insensitive globs). */
export function matchesWhole(glob: Glob, text: string): boolean {
  const segments = glob.segments;
  const first = segments[0] as Segment;
  const afterFirst = matchAt(text, 0, first);
  if (afterFirst < 0) return false;
  if (segments.length === 1) return afterFirst === text.length;
  const afterMiddle = matchMiddle(text, afterFirst, segments);
  if (afterMiddle < 0) return false;
  // The last segment has a fixed width, so it can only start that many code points from the end.
  const last = segments[segments.length - 1] as Segment;
  let start = text.length;
  for (let i = 0; i < last.width; i++) start = previousCodePoint(text, start);
  return start >= afterMiddle && matchAt(text, start, last) === text.length;
}

function isWordUnit(unit: number): boolean {
  return (
    (unit >= 0x30 && unit <= 0x39) || (unit >= 0x41 && unit <= 0x5a) || (unit >= 0x61 && unit <= 0x7a) || unit === 0x5f
  );
}

/**
 * Whether the glob matches some substring of the text that starts and ends at a word boundary
 * (push rules on `content.body`): the substring is preceded by the start of the text or a
 * character outside [A-Za-z0-9_], and followed by the end of the text or such a character.
 * `folded` is the text as matched (foldCase'd for case-insensitive globs); `original` is the
 * unfolded text, whose characters decide the boundaries. They have the same length.
 */
export function matchesWordBounded(glob: Glob, folded: string, original: string = folded): boolean {
  const startsAtBoundary = (start: number) => start === 0 || !isWordUnit(original.charCodeAt(start - 1));
  const endsAtBoundary = (end: number) => end === original.length || !isWordUnit(original.charCodeAt(end));
  const segments = glob.segments;
  const first = segments[0] as Segment;
  if (segments.length === 1) {
    return findSegment(folded, 0, first, (start, end) => startsAtBoundary(start) && endsAtBoundary(end)) >= 0;
  }
  // The leftmost valid start is optimal: any later start leaves less room for what follows.
  const start = findSegment(folded, 0, first, (candidate) => startsAtBoundary(candidate));
  if (start < 0) return false;
  const afterMiddle = matchMiddle(folded, matchAt(folded, start, first), segments);
  if (afterMiddle < 0) return false;
  const last = segments[segments.length - 1] as Segment;
  return findSegment(folded, afterMiddle, last, (_start, end) => endsAtBoundary(end)) >= 0;
}

/** One-off whole-value match that folds `text` as the glob requires. */
export function globMatches(glob: Glob, text: string): boolean {
  return matchesWhole(glob, glob.caseInsensitive ? foldCase(text) : text);
}
