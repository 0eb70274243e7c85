import { isIPv4 } from 'node:net'

export const LOOPBACK_ONLY =
  'Sandlot serves on loopback only (127.0.0.1, ::1 or localhost): every program that can reach the port could try to sign in.'

/** The address to bind for a `--host` value, or undefined when it is not a loopback address. */
export function loopbackAddress(host: string): string | undefined {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host
  if (bare === 'localhost') return '127.0.0.1'
  if (bare === '::1') return '::1'
  return isIPv4(bare) && bare.startsWith('127.') ? bare : undefined
}

/**
 * The `Host` values the server answers to. Checking them defeats DNS rebinding: a web page whose own name
 * was re-pointed at 127.0.0.1 still sends its own name as the host, and gets nothing.
 */
export function allowedHosts(address: string, port: number): string[] {
  const literal = address.includes(':') ? `[${address}]` : address
  return [`${literal}:${port}`, `localhost:${port}`]
}

/** The server's own origins: the only pages allowed to open its WebSocket. */
export function allowedOrigins(address: string, port: number): string[] {
  return allowedHosts(address, port).map((host) => `http://${host}`)
}
