import { describe, expect, it } from 'vitest'
import { contentSecurityPolicy } from './security-headers'

describe('content security policy', () => {
  it('allows no network at all when the app talks over IPC', () => {
    const policy = contentSecurityPolicy({ connect: [] })
    expect(policy).toContain("connect-src 'none'")
    expect(policy).toContain("default-src 'none'")
    expect(policy).toContain("script-src 'self';")
    expect(policy).not.toContain('unsafe-eval')
  })

  it("allows inline styles (xterm.js's own <style> elements) but never inline scripts in a built app", () => {
    const policy = contentSecurityPolicy({ connect: [] })
    expect(policy).toContain("style-src 'self' 'unsafe-inline'")
    expect(policy).not.toMatch(/script-src[^;]*unsafe-inline/)
  })

  it('allows inline code only for the dev server', () => {
    const policy = contentSecurityPolicy({ connect: ['ws://localhost:5173'], devServer: true })
    expect(policy).toContain("script-src 'self' 'unsafe-inline'")
    expect(policy).toContain('connect-src ws://localhost:5173')
    expect(policy).not.toContain('unsafe-eval')
  })
})
