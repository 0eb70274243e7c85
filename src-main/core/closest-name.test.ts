import { describe, expect, it } from 'vitest'
import { closest, didYouMean } from './closest-name'

describe('closest name', () => {
  it('finds the name a typo meant, and nothing for an unrelated one', () => {
    expect(closest('reac-vite-ts', ['react-vite-ts', 'node-api', 'shell'])).toBe('react-vite-ts')
    expect(closest('shel', ['react-vite-ts', 'node-api', 'shell'])).toBe('shell')
    expect(closest('database', ['react-vite-ts', 'node-api', 'shell'])).toBeUndefined()
    expect(closest('x', [])).toBeUndefined()
  })

  it('words it for a hint', () => {
    expect(didYouMean('web1', ['web-1', 'api'])).toBe(' Did you mean web-1?')
    expect(didYouMean('zzz', ['web-1'])).toBe('')
  })
})
