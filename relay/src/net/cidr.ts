// IP addresses and CIDR ranges as 16 bytes (IPv4 as IPv4-mapped IPv6), for
// the trusted-proxy check, for rate-limit and quota keys (IPv4 address, IPv6
// /64) and for the quota's network key (IPv4 /24, IPv6 /48).
import { isIP } from 'node:net';

export interface Cidr {
  /** The network address, 16 bytes. */
  bytes: Uint8Array;
  /** Prefix length in the 128-bit space. */
  prefix: number;
}

const V4_MAPPED_PREFIX = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff);

function parseV4(text: string, out: Uint8Array, offset: number): boolean {
  const parts = text.split('.');
  if (parts.length !== 4) return false;
  for (let i = 0; i < 4; i++) {
    const part = parts[i] as string;
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return false;
    out[offset + i] = Number(part);
  }
  return true;
}

/** Recently parsed addresses (peers repeat); cleared when full, so it stays small. */
const parsed = new Map<string, Uint8Array | null>();
const PARSED_MAX = 4_096;

/** Parses an IPv4 or IPv6 address (zone ids dropped) into 16 bytes, or null. Callers must not modify the result. */
export function parseIp(input: string): Uint8Array | null {
  let result = parsed.get(input);
  if (result === undefined) {
    if (parsed.size >= PARSED_MAX) parsed.clear();
    result = parseIpUncached(input);
    parsed.set(input, result);
  }
  return result;
}

function parseIpUncached(input: string): Uint8Array | null {
  const text = input.trim().replace(/%.*$/, '');
  const family = isIP(text);
  const out = new Uint8Array(16);
  if (family === 4) {
    out.set(V4_MAPPED_PREFIX);
    return parseV4(text, out, 12) ? out : null;
  }
  if (family !== 6) return null;
  let head = text;
  let v4Tail: string | null = null;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    v4Tail = text.slice(lastColon + 1);
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const [left = '', right] = head.split('::');
  const leftGroups = left ? left.split(':') : [];
  const rightGroups = right ? right.split(':') : [];
  const groups =
    right === undefined
      ? leftGroups
      : [...leftGroups, ...Array<string>(8 - leftGroups.length - rightGroups.length).fill('0'), ...rightGroups];
  if (groups.length !== 8) return null;
  groups.forEach((group, i) => {
    const value = Number.parseInt(group, 16);
    out[i * 2] = value >> 8;
    out[i * 2 + 1] = value & 0xff;
  });
  if (v4Tail !== null && !parseV4(v4Tail, out, 12)) return null;
  return out;
}

function isV4Mapped(bytes: Uint8Array): boolean {
  for (let i = 0; i < 12; i++) if (bytes[i] !== V4_MAPPED_PREFIX[i]) return false;
  return true;
}

/** `10.0.0.0/8`, `::1/128`, or a bare address (a single host). */
export function parseCidr(text: string): Cidr | null {
  const [address = '', prefixText, extra] = text.trim().split('/');
  if (extra !== undefined) return null;
  const bytes = parseIp(address);
  if (!bytes) return null;
  const v4 = isIP(address) === 4;
  const max = v4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (prefix > max) return null;
  return { bytes, prefix: v4 ? prefix + 96 : prefix };
}

export function cidrContains(cidr: Cidr, address: Uint8Array): boolean {
  let bits = cidr.prefix;
  for (let i = 0; i < 16 && bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((cidr.bytes[i] as number) & mask) !== ((address[i] as number) & mask)) return false;
  }
  return true;
}

export function inAnyCidr(cidrs: readonly Cidr[], address: Uint8Array): boolean {
  return cidrs.some((cidr) => cidrContains(cidr, address));
}

/** Prefix lengths of the client and of its network (IPv4 counts its own 32 bits, IPv6 its 128). */
export interface ClientPrefixes {
  ipv6Client: number;
  ipv4Network: number;
  ipv6Network: number;
}

/** psst's defaults: an IPv6 /64 is one client (one subscriber's LAN), a /48 (one site) and an IPv4 /24 one network. */
export const DEFAULT_CLIENT_PREFIXES: ClientPrefixes = { ipv6Client: 64, ipv4Network: 24, ipv6Network: 48 };

/** The first `bits` bits of `bytes` as hex, the rest zeroed: `/bits` is appended by the callers. */
function prefixHex(bytes: Uint8Array, bits: number): string {
  const out = Buffer.alloc(Math.ceil(bits / 8));
  for (let i = 0; i < out.length; i++) {
    const left = bits - i * 8;
    out[i] = (bytes[i] as number) & (left >= 8 ? 0xff : (0xff << (8 - left)) & 0xff);
  }
  return out.toString('hex');
}

/** The rate-limit and quota key of an address: the IPv4 address, or the IPv6 /64 (or `ipv6Prefix`). Never logged. */
export function clientKey(address: Uint8Array, ipv6Prefix = DEFAULT_CLIENT_PREFIXES.ipv6Client): string {
  if (isV4Mapped(address)) return address.subarray(12).join('.');
  return `${prefixHex(address, ipv6Prefix)}/${ipv6Prefix}`;
}

/**
 * The network around a client, which has its own (larger) quota: the IPv4 /24 or the IPv6 /48 by default. The
 * key starts with `net:` so that it never equals a client key, whatever the prefixes. Never logged.
 */
export function networkKey(
  address: Uint8Array,
  prefixes: Pick<ClientPrefixes, 'ipv4Network' | 'ipv6Network'> = DEFAULT_CLIENT_PREFIXES,
): string {
  if (isV4Mapped(address)) {
    const bits = prefixes.ipv4Network;
    return `net:${prefixHex(address.subarray(12), bits)}/${bits}`;
  }
  return `net:${prefixHex(address, prefixes.ipv6Network)}/${prefixes.ipv6Network}`;
}

/**
 * The client's address: the peer, unless the peer is a trusted proxy, in which
 * case the right-most X-Forwarded-For hop that is not itself a trusted proxy.
 */
export function resolveClientAddress(peer: string, forwardedFor: string | undefined, trusted: readonly Cidr[]): Uint8Array | null {
  let current = parseIp(peer);
  if (!current || !forwardedFor || !inAnyCidr(trusted, current)) return current;
  const hops = forwardedFor.split(',');
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = parseIp(hops[i] as string);
    if (!hop) return current;
    current = hop;
    if (!inAnyCidr(trusted, hop)) return hop;
  }
  return current;
}
