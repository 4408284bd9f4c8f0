// Server names (spec appendices, "Server Name"):
//   server_name = hostname [ ":" port ]; hostname = IPv4address / "[" IPv6address "]" / dns-name
// plus the limits a real host needs: port 1–65535, IPv4 octets ≤ 255, dns-name ≤ 255 chars.

export interface ParsedServerName {
  /** Lower-cased host; IPv6 keeps its brackets. */
  host: string;
  port?: number;
  kind: 'dns' | 'ipv4' | 'ipv6';
}

const DNS_NAME = /^[A-Za-z0-9.-]{1,255}$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const IPV6 = /^[0-9A-Fa-f:.]{2,45}$/;
const PORT = /^\d{1,5}$/;

function validIpv6(text: string): boolean {
  if (!IPV6.test(text) || !text.includes(':')) return false;
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((half) => (half === '' ? [] : half.split(':')));
  let count = groups.length;
  const last = groups[groups.length - 1];
  if (last !== undefined && last.includes('.')) {
    // An embedded IPv4 address takes the place of two groups.
    if (!validIpv4(last)) return false;
    groups.pop();
    count += 1;
  }
  if (!groups.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return false;
  return halves.length === 2 ? count <= 7 : count === 8;
}

function validIpv4(text: string): boolean {
  const m = IPV4.exec(text);
  return m !== null && m.slice(1).every((octet) => Number(octet) <= 255);
}

/** Parses a server name; undefined when it does not follow the grammar. */
export function parseServerName(name: string): ParsedServerName | undefined {
  if (typeof name !== 'string' || name.length === 0 || name.length > 255 + 6) return undefined;
  let host: string;
  let portText: string | undefined;
  if (name.startsWith('[')) {
    const close = name.indexOf(']');
    if (close < 0) return undefined;
    host = name.slice(0, close + 1);
    const rest = name.slice(close + 1);
    if (rest !== '') {
      if (!rest.startsWith(':')) return undefined;
      portText = rest.slice(1);
    }
    if (!validIpv6(host.slice(1, -1))) return undefined;
  } else {
    const colon = name.lastIndexOf(':');
    if (colon >= 0) {
      host = name.slice(0, colon);
      portText = name.slice(colon + 1);
    } else {
      host = name;
    }
  }
  let port: number | undefined;
  if (portText !== undefined) {
    if (!PORT.test(portText)) return undefined;
    port = Number(portText);
    if (port < 1 || port > 65535) return undefined;
  }
  if (host.startsWith('[')) return { host: host.toLowerCase(), port, kind: 'ipv6' };
  if (IPV4.test(host)) return validIpv4(host) ? { host, port, kind: 'ipv4' } : undefined;
  if (!DNS_NAME.test(host)) return undefined;
  return { host: host.toLowerCase(), port, kind: 'dns' };
}

export function isValidServerName(name: string): boolean {
  return parseServerName(name) !== undefined;
}

/** A hostname fit to serve a tenant: besides the grammar, DNS labels of 1–63 characters
 * that do not start or end with a hyphen (RFC 1123), so a name that no resolver would accept
 * is refused at creation rather than failing later in federation. */
export function isServableServerName(name: string): boolean {
  const parsed = parseServerName(name);
  if (!parsed) return false;
  if (parsed.kind !== 'dns') return true;
  const labels = parsed.host.split('.');
  return labels.every((label) => label.length >= 1 && label.length <= 63 && !label.startsWith('-') && !label.endsWith('-'));
}
