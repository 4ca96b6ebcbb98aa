/**
 * Which addresses `webfetch` may connect to. Only global unicast addresses are allowed unless the
 * setting `moco.web.allowPrivateAddresses` says otherwise: private (RFC 1918), loopback,
 * link-local (the cloud metadata endpoint 169.254.169.254 among them), unique-local (fc00::/7),
 * carrier-grade NAT (100.64.0.0/10), multicast, unspecified (0.0.0.0 and ::, which reach the host
 * itself), broadcast and every other special range that ipaddr.js names are refused. IPv6 forms
 * that carry an IPv4 address (IPv4-mapped ::ffff:a.b.c.d, ::ffff:0:a.b.c.d, NAT64 64:ff9b::/96,
 * 6to4 2002::/16) are judged by that IPv4 address. Ranges are ipaddr.js's `range()` names
 * (IANA's special-purpose address registries).
 */
import ipaddr from 'ipaddr.js';

/**
 * Why an address is refused, or undefined when it may be reached: the ipaddr.js range name (for
 * example `loopback`), or for an IPv6 form carrying a refused IPv4 address
 * `<form>(<range> <IPv4>)`, for example `ipv4Mapped(loopback 127.0.0.1)`.
 */
export function refusedRange(address: string): string | undefined {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address.replace(/^\[|\]$/g, '').replace(/%.*$/, ''));
  } catch {
    return 'not an IP address';
  }
  if (parsed.kind() === 'ipv6') {
    const embedded = embeddedIPv4(parsed as ipaddr.IPv6);
    if (embedded) {
      const inner = refusedRange(embedded.toString());
      return inner === undefined ? undefined : `${(parsed as ipaddr.IPv6).range()}(${inner} ${embedded.toString()})`;
    }
  }
  const range = parsed.range();
  return range === 'unicast' ? undefined : range;
}

/** The IPv4 address an IPv6 address carries, for the forms that carry one. */
function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const range = address.range();
  const bytes = address.toByteArray();
  const last = (offset: number): ipaddr.IPv4 => new ipaddr.IPv4(bytes.slice(offset, offset + 4));
  if (range === 'ipv4Mapped') return address.toIPv4Address();
  if (range === 'rfc6145' || range === 'rfc6052') return last(12);
  if (range === '6to4') return last(2);
  return undefined;
}

/** IPv6 forms that carry an IPv4 address, in words. */
const FORMS: Record<string, string> = { ipv4Mapped: 'IPv4-mapped', rfc6145: 'IPv4-translated', rfc6052: 'NAT64', '6to4': '6to4' };

/**
 * Words for what {@link refusedRange} returns: `loopback` → `a loopback address`;
 * `ipv4Mapped(loopback 127.0.0.1)` → `the IPv4-mapped form of 127.0.0.1, a loopback address`.
 */
export function describeRange(range: string): string {
  const embedded = /^(\w+)\((\S+) (\S+)\)$/.exec(range);
  if (embedded) return `the ${FORMS[embedded[1] ?? ''] ?? embedded[1]} form of ${embedded[3]}, ${describeRange(embedded[2] ?? '')}`;
  const words: Record<string, string> = {
    private: 'a private (RFC 1918) address',
    loopback: 'a loopback address',
    linkLocal: 'a link-local address (such as the cloud metadata service)',
    uniqueLocal: 'a unique-local (private IPv6) address',
    carrierGradeNat: 'a carrier-grade NAT address',
    multicast: 'a multicast address',
    unspecified: 'the unspecified address (it reaches this machine)',
    broadcast: 'the broadcast address',
  };
  return words[range] ?? `a special-purpose address (${range})`;
}
