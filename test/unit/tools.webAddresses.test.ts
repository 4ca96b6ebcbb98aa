// The address policy of webfetch: which addresses are refused by default, and why.
import { describe, expect, it } from 'vitest';
import { describeRange, refusedRange } from '../../server/src/tools/web/addressPolicy';

describe('refusedRange', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1%eth0', 'linkLocal'],
    ['fd12:3456::1', 'uniqueLocal'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'ipv4Mapped(loopback 127.0.0.1)'],
    ['::ffff:10.1.2.3', 'ipv4Mapped(private 10.1.2.3)'],
    ['::ffff:169.254.169.254', 'ipv4Mapped(linkLocal 169.254.169.254)'],
    ['64:ff9b::7f00:1', 'rfc6052(loopback 127.0.0.1)'],
    ['2002:7f00:1::', '6to4(loopback 127.0.0.1)'],
    ['not-an-ip', 'not an IP address'],
  ])('refuses %s (%s)', (address, range) => {
    expect(refusedRange(address)).toBe(range);
  });

  it.each(['93.184.215.14', '8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808'])('allows the public address %s', (address) => {
    expect(refusedRange(address)).toBeUndefined();
  });

  it('describes ranges in words, mapped forms with their IPv4 address', () => {
    expect(describeRange('linkLocal')).toBe('a link-local address (such as the cloud metadata service)');
    expect(describeRange('ipv4Mapped(private 10.1.2.3)')).toBe('the IPv4-mapped form of 10.1.2.3, a private (RFC 1918) address');
    expect(describeRange('benchmarking')).toBe('a special-purpose address (benchmarking)');
  });
});
