import { describe, expect, it } from 'vitest'
import type { TemplateDetail, TemplateSummary } from '../../src-main/core/contract'
import { sortTemplates, templateDetailFacts, templateFacts, templatePhases } from './template-model'

const summary = (id: string, name: string, source: TemplateSummary['source'] = 'builtin'): TemplateSummary => ({ id, name, description: '', source })
const detail = (manifest: Partial<TemplateDetail['manifest']>): TemplateDetail => ({
  id: 'x',
  source: 'builtin',
  dir: '/t/x',
  manifest: { id: 'x', name: 'X', ...manifest },
  files: 1,
  bytes: 10,
  inferred: false,
  inferredFrom: {}
})

describe('template cards', () => {
  it('says what a workspace of the template does', () => {
    expect(templateFacts(summary('web', 'Web'), detail({ install: 'npm ci', start: 'npm run dev', port: 5173 }))).toEqual([
      'Built in',
      'Installs with npm ci',
      'App on port 5173'
    ])
    expect(templateFacts(summary('sh', 'Shell', 'user'), detail({}))).toEqual(['Your template', 'Nothing installed or started'])
    expect(templateFacts(summary('worker', 'Worker'), detail({ start: 'node worker.js' }))).toEqual(['Built in', 'Runs an app'])
    expect(templateFacts(summary('web', 'Web'), undefined)).toEqual(['Built in'])
    expect(templateFacts(summary('big', 'Big'), detail({ install: 'apt-get update && apt-get install -y libvips && npm ci' }))).toContain('Runs an install script')
  })

  it('lists the phases the core goes through for it', () => {
    expect(templatePhases(detail({}))).toEqual(['claim', 'inject', 'ready'])
    expect(templatePhases(detail({ install: 'npm ci', start: 'npm run dev' }))).toEqual(['claim', 'inject', 'install', 'start', 'ready'])
    expect(templatePhases(undefined)).toHaveLength(5)
  })

  it('puts built-in templates first, each group by name', () => {
    const sorted = sortTemplates([summary('z', 'Zed', 'user'), summary('b', 'Beta'), summary('a', 'Alpha', 'user'), summary('s', 'Shell')])
    expect(sorted.map((t) => t.name)).toEqual(['Beta', 'Shell', 'Alpha', 'Zed'])
  })
})

describe('template detail facts', () => {
  it('says where a template lives, what it runs (and where an inferred value came from) and its size', () => {
    const facts = templateDetailFacts({
      id: 'web',
      source: 'user',
      dir: '/data/templates/web',
      manifest: { id: 'web', name: 'Web', install: 'npm ci', start: 'npm run dev', port: 5173 },
      packageManager: 'npm',
      files: 12,
      bytes: 3 * 1024 + 100,
      inferred: true,
      inferredFrom: { port: 'vite in devDependencies' }
    } as TemplateDetail)
    expect(facts.map((f) => [f.label, f.value])).toEqual([
      ['Folder', '/data/templates/web'],
      ['Install', 'npm ci'],
      ['Start', 'npm run dev'],
      ['Preview port', '5173 (from vite in devDependencies)'],
      ['Files', '12 files, 3.1 KiB']
    ])
    const shell = templateDetailFacts({ id: 's', source: 'builtin', dir: '/x', manifest: { id: 's', name: 'S' }, files: 1, bytes: 10, inferred: false, inferredFrom: {} } as TemplateDetail)
    expect(shell.map((f) => f.value)).toEqual(['/x', 'nothing to install', 'no app: a shell workspace', 'none', '1 file, 10 bytes'])
  })
})
