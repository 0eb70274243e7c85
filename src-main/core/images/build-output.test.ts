import { describe, expect, it } from 'vitest'
import { applyBuildMessage, newBuildOutput } from './build-output'

describe('build output', () => {
  it('turns classic builder steps into progress', () => {
    const state = newBuildOutput()
    expect(applyBuildMessage(state, { stream: 'Step 1/4 : FROM node:22\n' })).toEqual({ fraction: 0, message: 'Step 1/4: FROM node:22' })
    expect(applyBuildMessage(state, { stream: ' ---> abc\n' })).toBeUndefined()
    expect(applyBuildMessage(state, { stream: 'Step 3/4 : RUN apt-get install\n' })?.fraction).toBe(0.5)
    expect(state.tail).toContain(' ---> abc')
  })

  it('keeps the error and a bounded tail for the failure message', () => {
    const state = newBuildOutput()
    for (let i = 0; i < 100; i++) applyBuildMessage(state, { stream: `line ${i}\n` })
    applyBuildMessage(state, { error: 'exit 100', errorDetail: { message: 'The command returned a non-zero code: 100' } })
    expect(state.error).toBe('The command returned a non-zero code: 100')
    expect(state.tail).toHaveLength(30)
    expect(state.tail.at(-1)).toBe('line 99')
  })

  it('shows pull status lines and ignores junk', () => {
    const state = newBuildOutput()
    expect(applyBuildMessage(state, { id: 'a1', status: 'Downloading', progress: '[=>   ] 1MB/9MB' })?.message).toBe('a1 Downloading [=>   ] 1MB/9MB')
    expect(applyBuildMessage(state, 'junk')).toBeUndefined()
    expect(applyBuildMessage(state, null)).toBeUndefined()
  })
})
