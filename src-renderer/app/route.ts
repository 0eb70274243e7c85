/**
 * Where the window is, as a path kept in the URL's hash (`#/workspaces/web/errors`), so a reload, a bookmark or
 * a notification's link opens the same page. A path's first segment names a NAVIGATION item; some take more.
 */

export const WORKSPACE_TABS = ['logs', 'errors', 'timeline', 'files'] as const
export type WorkspaceTab = (typeof WORKSPACE_TABS)[number]

export type Route =
  | {
      view: 'workspace'
      workspace: string
      tab: WorkspaceTab
      /** An error's fingerprint to open. */
      focus?: string
      /** The Files tab: a file under /app to show (its folders opened), as `workspaces/web/files/%2Fapp%2Fsrc%2Fa.js`. */
      file?: string
    }
  /** The Logs and Errors pages across workspaces, filtered by one when given. */
  | { view: 'logs' | 'errors'; workspace?: string; focus?: string }
  | { view: string }

const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/
const FOCUS = /^[A-Za-z0-9_-]{1,128}$/

export function parseRoute(path: string): Route {
  const [view = '', name, third, fourth] = path.replace(/^#?\/?/, '').split('/').map(safeDecode)
  if (view === 'workspaces' && name !== undefined && NAME.test(name)) {
    const tab = (WORKSPACE_TABS as readonly string[]).includes(third ?? '') ? (third as WorkspaceTab) : 'logs'
    if (tab === 'files') return { view: 'workspace', workspace: name, tab, ...(fourth !== undefined && isAppFile(fourth) ? { file: fourth } : {}) }
    return { view: 'workspace', workspace: name, tab, ...(fourth !== undefined && FOCUS.test(fourth) ? { focus: fourth } : {}) }
  }
  if (view === 'logs' || view === 'errors') {
    return { view, ...(name !== undefined && NAME.test(name) ? { workspace: name } : {}), ...(third !== undefined && FOCUS.test(third) ? { focus: third } : {}) }
  }
  return { view }
}

/** The NAVIGATION id that shows a path. */
export function routeView(path: string): string {
  return parseRoute(path).view
}

/**
 * What identifies a page instance: a new one starts scrolled to the top with fresh state; moving between the
 * tabs of one workspace keeps the page.
 */
export function routeKey(path: string): string {
  const route = parseRoute(path)
  return route.view === 'workspace' && 'workspace' in route ? `workspace/${route.workspace}` : route.view
}

export function workspacePath(workspace: string, tab: WorkspaceTab = 'logs', focus?: string): string {
  return ['workspaces', workspace, tab, ...(focus === undefined ? [] : [focus])].map(encodeURIComponent).join('/')
}

/** The Files tab of a workspace showing one file of /app. */
export function workspaceFilePath(workspace: string, file: string): string {
  return workspacePath(workspace, 'files', file)
}

/** A path the Files tab can show: absolute, under /app, no `.` or `..` steps, no empty ones. */
export function isAppFile(path: string): boolean {
  if (path.length > 4096 || !path.startsWith('/app/')) return false
  return path
    .slice('/app/'.length)
    .split('/')
    .every((step) => step !== '' && step !== '.' && step !== '..')
}

export function historyPath(view: 'logs' | 'errors', workspace?: string): string {
  return workspace === undefined ? view : `${view}/${encodeURIComponent(workspace)}`
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}
