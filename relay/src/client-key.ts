// Who is creating, for the per-client and per-network quotas: the client address as the rate limits see it
// (the peer, or X-Forwarded-For from a trusted proxy), keyed as an IPv4 address or an IPv6 /64, and the
// network around it (IPv4 /24, IPv6 /48), with the prefixes of the configuration. The store keeps only a
// keyed hash of each (store/client-usage.ts); neither is ever logged.
import type { Config } from './config.js';
import type { RelayRequest } from './http-types.js';
import { clientKey, networkKey, resolveClientAddress } from './net/cidr.js';
import type { ClientIdentity, ClientQuotas } from './store/types.js';

/** The creator's client and network, or null when the address cannot be read (then no per-client quota applies). */
export function clientIdentity(
  req: Pick<RelayRequest, 'peerAddress' | 'headers'>,
  config: Pick<Config, 'trustedProxies' | 'clientPrefixes'>,
): ClientIdentity | null {
  const address = resolveClientAddress(req.peerAddress, req.headers['x-forwarded-for'], config.trustedProxies);
  if (!address) return null;
  return { client: clientKey(address, config.clientPrefixes.ipv6Client), network: networkKey(address, config.clientPrefixes) };
}

/** The stores' quota options from the configuration; the hashing key changes every longest TTL plus retention. */
export function storeQuotas(config: Config): { maxTombstones: number; clientQuotas: ClientQuotas } {
  return {
    maxTombstones: config.maxTombstones,
    clientQuotas: {
      clientMaxSecrets: config.clientMaxSecrets,
      clientMaxBytes: config.clientMaxStoreBytes,
      networkMaxSecrets: config.networkMaxSecrets,
      networkMaxBytes: config.networkMaxStoreBytes,
      keyRotationMs: (config.maxTtlSeconds + config.tombstoneRetentionSeconds) * 1000,
    },
  };
}
