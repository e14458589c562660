import { describe, expect, it } from 'vitest';
import { cidrContains, clientKey, networkKey, parseCidr, parseIp, resolveClientAddress } from './cidr.js';

const trusted = ['127.0.0.1/8', '::1/128', '10.0.0.0/8'].map((c) => parseCidr(c) ?? expect.fail(c));

describe('addresses and CIDRs', () => {
  it('parses IPv4, IPv6, compressed forms, IPv4-mapped addresses and zone ids', () => {
    expect(clientKey(parseIp('192.0.2.1') as Uint8Array)).toBe('192.0.2.1');
    expect(clientKey(parseIp('::ffff:192.0.2.1') as Uint8Array)).toBe('192.0.2.1');
    expect(clientKey(parseIp('0000:0000:0000:0000:0000:ffff:c000:0201') as Uint8Array)).toBe('192.0.2.1');
    expect(clientKey(parseIp('2001:db8:1:2::7') as Uint8Array)).toBe('20010db800010002/64');
    expect(clientKey(parseIp('2001:db8:1:2:ffff:1:2:3') as Uint8Array)).toBe('20010db800010002/64');
    expect(clientKey(parseIp('fe80::1%eth0') as Uint8Array)).toBe('fe80000000000000/64');
    for (const bad of ['', '300.1.1.1', '1.2.3', 'example.com', '::g']) expect(parseIp(bad), bad).toBeNull();
  });

  it('matches prefixes, and rejects malformed CIDRs', () => {
    const net10 = parseCidr('10.0.0.0/8') as NonNullable<ReturnType<typeof parseCidr>>;
    expect(cidrContains(net10, parseIp('10.200.3.4') as Uint8Array)).toBe(true);
    expect(cidrContains(net10, parseIp('11.0.0.1') as Uint8Array)).toBe(false);
    const v6 = parseCidr('2001:db8::/33') as NonNullable<ReturnType<typeof parseCidr>>;
    expect(cidrContains(v6, parseIp('2001:db8:7fff::1') as Uint8Array)).toBe(true);
    expect(cidrContains(v6, parseIp('2001:db8:8000::1') as Uint8Array)).toBe(false);
    for (const bad of ['10.0.0.0/33', '::/129', '10.0.0.0/8/8', 'x/8', '10.0.0.0/a']) expect(parseCidr(bad), bad).toBeNull();
  });

  it('believes X-Forwarded-For only from a trusted peer, taking the right-most untrusted hop', () => {
    const key = (peer: string, xff?: string) => clientKey(resolveClientAddress(peer, xff, trusted) as Uint8Array);
    expect(key('192.0.2.9', '203.0.113.1')).toBe('192.0.2.9');
    expect(key('127.0.0.1', '203.0.113.1')).toBe('203.0.113.1');
    expect(key('127.0.0.1', '198.51.100.1, 203.0.113.1, 10.1.1.1')).toBe('203.0.113.1');
    expect(key('127.0.0.1', '10.1.1.1, 10.2.2.2')).toBe('10.1.1.1');
    expect(key('127.0.0.1', 'garbage, 203.0.113.1')).toBe('203.0.113.1');
    expect(key('127.0.0.1', '203.0.113.1, garbage')).toBe('127.0.0.1');
    expect(key('::ffff:127.0.0.1', '2001:db8::1')).toBe('20010db800000000/64');
  });

  it('keys the network around a client: an IPv4 /24 and an IPv6 /48 by default, other prefixes on request', () => {
    const ip = (text: string) => parseIp(text) as Uint8Array;
    expect(networkKey(ip('192.0.2.1'))).toBe('net:c00002/24');
    expect(networkKey(ip('192.0.2.200'))).toBe(networkKey(ip('192.0.2.1')));
    expect(networkKey(ip('192.0.3.1'))).not.toBe(networkKey(ip('192.0.2.1')));
    expect(networkKey(ip('2001:db8:1:2::7'))).toBe('net:20010db80001/48');
    expect(networkKey(ip('2001:db8:1:ffff::1'))).toBe(networkKey(ip('2001:db8:1:2::7')));
    expect(networkKey(ip('2001:db8:2::1'))).not.toBe(networkKey(ip('2001:db8:1::1')));
    // Prefixes that are not whole bytes keep only their bits.
    expect(networkKey(ip('2001:db8:1:2::7'), { ipv4Network: 20, ipv6Network: 44 })).toBe('net:20010db80000/44');
    expect(networkKey(ip('192.0.31.1'), { ipv4Network: 20, ipv6Network: 44 })).toBe('net:c00010/20');
    expect(clientKey(ip('2001:db8:1:2:3::1'), 56)).toBe('20010db8000100/56');
    // A client key never equals a network key, even with the same prefix.
    expect(networkKey(ip('2001:db8:1:2::7'), { ipv4Network: 32, ipv6Network: 64 })).not.toBe(clientKey(ip('2001:db8:1:2::7')));
  });
});
