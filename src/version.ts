// The release, as reported by /_matrix/federation/v1/version and the shards table.
import { readFileSync } from 'node:fs';

export const TESSERA_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
