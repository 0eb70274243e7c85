import { describe, expect, it } from 'vitest'
import { bridgeInterface, guardScript } from './host-access-guard'

describe('the host guard rule', () => {
  it('names the bridge Docker made for the network', () => {
    expect(bridgeInterface({ Id: '0123456789abcdef0123' })).toBe('br-0123456789ab')
    expect(bridgeInterface({ Id: '0123456789abcdef0123', Options: { 'com.docker.network.bridge.name': 'sandlot0' } })).toBe('sandlot0')
  })

  it('adds once and removes every copy, dropping only new connections from the bridge to the host', () => {
    expect(guardScript('add', 'br-0123456789ab')).toBe(
      'PATH=/usr/sbin:/sbin:/usr/bin:/bin; iptables -C INPUT -i br-0123456789ab -m conntrack ! --ctstate ESTABLISHED,RELATED -j DROP 2>/dev/null || iptables -I INPUT -i br-0123456789ab -m conntrack ! --ctstate ESTABLISHED,RELATED -j DROP'
    )
    expect(guardScript('remove', 'br-0123456789ab')).toMatch(/^PATH=.*; while iptables -D INPUT -i br-0123456789ab .* -j DROP 2>\/dev\/null; do :; done$/)
  })

  it('refuses an interface name that is not one (it goes into a shell script run as root on the host)', () => {
    expect(() => guardScript('add', 'br-x; rm -rf /')).toThrow(/not an interface name/)
    expect(() => guardScript('add', 'a-name-longer-than-15')).toThrow(/not an interface name/)
  })
})
