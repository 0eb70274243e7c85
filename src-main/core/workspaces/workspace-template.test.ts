import { describe, expect, it } from 'vitest'
import { withOverrides } from './workspace-template'

const base = { id: 'app', name: 'App', start: 'node .', port: 3000, env: { A: '1', B: '2' }, limits: { memoryMb: 1024, pids: 256 } }

describe('create overrides', () => {
  it('go over the source settings, field by field', () => {
    expect(withOverrides(base, { env: { B: 'x', C: '3' }, limits: { cpus: 1 }, start: 'npm run dev', port: 5173 })).toEqual({
      ...base,
      env: { A: '1', B: 'x', C: '3' },
      limits: { memoryMb: 1024, pids: 256, cpus: 1 },
      start: 'npm run dev',
      port: 5173
    })
    expect(withOverrides(base, {})).toEqual(base)
  })

  it('refuse a port for a source that runs no app', () => {
    expect(() => withOverrides({ id: 'sh', name: 'Shell' }, { port: 8080 })).toThrow('--port 8080 was given, but sh runs no app.')
    expect(withOverrides({ id: 'sh', name: 'Shell' }, { port: 8080, start: 'python3 -m http.server 8080' })).toMatchObject({ port: 8080 })
  })
})
