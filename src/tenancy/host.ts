// Host header → the keys a tenant may be registered under. A registered name with an
// explicit port ("localhost:8448") matches only that host and port; a name without a port
// matches its host on any port. Matching is case-insensitive.
import { parseServerName } from '../protocol/server-name.ts';

/** Lower-cased `host` or `host:port` as stored in control.tenant_hosts. */
export function hostKey(name: string): string | undefined {
  const parsed = parseServerName(name.trim().replace(/\.$/, '').replace(/\.:/, ':'));
  if (!parsed) return undefined;
  return parsed.port === undefined ? parsed.host : `${parsed.host}:${parsed.port}`;
}

/** Candidate keys for a request's Host header, most specific first; undefined if malformed. */
export function hostCandidates(hostHeader: string | undefined): string[] | undefined {
  if (!hostHeader) return undefined;
  const trimmed = hostHeader.trim();
  const withoutDot = trimmed.replace(/\.(?=:\d+$|$)/, '');
  const parsed = parseServerName(withoutDot);
  if (!parsed) return undefined;
  return parsed.port === undefined ? [parsed.host] : [`${parsed.host}:${parsed.port}`, parsed.host];
}
