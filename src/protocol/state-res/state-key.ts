// A collision-free string key for a (type, state_key) pair. A separator character alone
// is not enough: both parts are arbitrary strings, so the type's length prefixes it.

export function stateKeyOf(type: string, stateKey: string): string {
  return `${type.length}:${type}${stateKey}`;
}
