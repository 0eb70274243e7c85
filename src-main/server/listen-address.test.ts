import { describe, expect, it } from 'vitest'
import { allowedHosts, allowedOrigins, loopbackAddress } from './listen-address'

describe('listen address', () => {
  it('accepts loopback addresses only', () => {
    expect(loopbackAddress('127.0.0.1')).toBe('127.0.0.1')
    expect(loopbackAddress('127.8.9.10')).toBe('127.8.9.10')
    expect(loopbackAddress('localhost')).toBe('127.0.0.1')
    expect(loopbackAddress('::1')).toBe('::1')
    expect(loopbackAddress('[::1]')).toBe('::1')
    for (const host of ['0.0.0.0', '::', '192.168.1.5', '10.0.0.1', 'example.com', '127.0.0.1.nip.io', '', '::ffff:7f00:1']) {
      expect(loopbackAddress(host), host).toBeUndefined()
    }
  })

  it('answers to its own address and localhost, on its own port', () => {
    expect(allowedHosts('127.0.0.1', 7373)).toEqual(['127.0.0.1:7373', 'localhost:7373'])
    expect(allowedHosts('::1', 7373)).toEqual(['[::1]:7373', 'localhost:7373'])
    expect(allowedOrigins('::1', 80)).toEqual(['http://[::1]:80', 'http://localhost:80'])
  })
})
