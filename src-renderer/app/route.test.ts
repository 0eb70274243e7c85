import { describe, expect, it } from 'vitest'
import { historyPath, parseRoute, routeKey, routeView, workspaceFilePath, workspacePath } from './route'

describe('routes', () => {
  it('reads a workspace page, its tab and an error to open', () => {
    expect(parseRoute('workspaces/web')).toEqual({ view: 'workspace', workspace: 'web', tab: 'logs' })
    expect(parseRoute('#/workspaces/web/errors/d62a6de240d18a23')).toEqual({ view: 'workspace', workspace: 'web', tab: 'errors', focus: 'd62a6de240d18a23' })
    expect(parseRoute('workspaces/web/timeline')).toMatchObject({ tab: 'timeline' })
    expect(parseRoute('workspaces/web/files')).toMatchObject({ tab: 'files' })
    // An unknown tab opens the logs; an invalid name is not a workspace page.
    expect(parseRoute('workspaces/web/bogus')).toMatchObject({ tab: 'logs' })
    expect(parseRoute('workspaces/Bad%20Name')).toEqual({ view: 'workspaces' })
    expect(parseRoute('workspaces')).toEqual({ view: 'workspaces' })
  })

  it('reads a file to show in the Files tab, only under /app', () => {
    expect(parseRoute(workspaceFilePath('web', '/app/src/main.tsx'))).toEqual({ view: 'workspace', workspace: 'web', tab: 'files', file: '/app/src/main.tsx' })
    expect(workspaceFilePath('web', '/app/a b.js')).toBe('workspaces/web/files/%2Fapp%2Fa%20b.js')
    for (const bad of ['/etc/passwd', '/app/../etc/passwd', '/app//x', 'app.js', '/app/']) {
      expect(parseRoute(workspacePath('web', 'files', bad))).toEqual({ view: 'workspace', workspace: 'web', tab: 'files' })
    }
  })

  it('reads the Logs and Errors pages with their workspace filter', () => {
    expect(parseRoute('errors')).toEqual({ view: 'errors' })
    expect(parseRoute('logs/api')).toEqual({ view: 'logs', workspace: 'api' })
    expect(parseRoute('errors/api/abc123')).toEqual({ view: 'errors', workspace: 'api', focus: 'abc123' })
    expect(parseRoute('engine')).toEqual({ view: 'engine' })
    expect(parseRoute('')).toEqual({ view: '' })
  })

  it('writes paths that read back the same', () => {
    expect(workspacePath('web')).toBe('workspaces/web/logs')
    expect(parseRoute(workspacePath('web', 'errors', 'ff00'))).toEqual({ view: 'workspace', workspace: 'web', tab: 'errors', focus: 'ff00' })
    expect(parseRoute(historyPath('logs', 'web'))).toEqual({ view: 'logs', workspace: 'web' })
    expect(historyPath('errors')).toBe('errors')
  })

  it('keeps one page across the tabs of a workspace, a new one for another workspace', () => {
    expect(routeKey('workspaces/web/logs')).toBe(routeKey('workspaces/web/errors/ff'))
    expect(routeKey('workspaces/web/logs')).not.toBe(routeKey('workspaces/api/logs'))
    expect(routeView('workspaces/web/logs')).toBe('workspace')
    expect(routeView('logs/web')).toBe('logs')
  })
})
