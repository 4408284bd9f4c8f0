// `types`/`not_types` entries: "A `*` can be used as a wildcard to match any sequence of
// characters", anywhere in the entry (Synapse only honours a trailing `*`; the spec does
// not limit it). `?` is literal here, and event types compare case-sensitively.
import { compileGlob, matchesWhole, type Glob } from '../glob.ts';

export type TypeTest = (type: string) => boolean;

export function compileTypePatterns(patterns: readonly string[]): TypeTest {
  const exact = new Set<string>();
  const globs: Glob[] = [];
  for (const pattern of patterns) {
    if (pattern === '*') return () => true;
    if (pattern.includes('*')) globs.push(compileGlob(pattern, { questionMark: false }));
    else exact.add(pattern);
  }
  if (globs.length === 0) return (type) => exact.has(type);
  return (type) => exact.has(type) || globs.some((glob) => matchesWhole(glob, type));
}
