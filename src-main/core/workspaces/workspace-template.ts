import { lstatSync } from 'node:fs'
import { basename, join } from 'node:path'
import type { CreateOverrides, CreateSource, TemplateManifest, TemplateRestart } from '../contract'
import { SandlotError } from '../sandlot-error'
import { checkoutRepository } from '../sources/git-checkout'
import type { TemplateCatalog } from '../templates/template-catalog'
import { DEFAULT_TREE_LIMITS, packTemplate, readTemplateTree, type PackOptions } from '../templates/template-archive'
import { loadTemplateFolder } from '../templates/template-folder'
import { sanitizeId } from '../templates/template-inference'
import { MANIFEST_FILE } from '../templates/template-manifest'
import type { WorkspaceTemplate } from './workspace-service'

/** A catalog template as a workspace uses it: its manifest's run settings, and its files packed on demand. */
export function workspaceTemplate(catalog: TemplateCatalog, id: string): WorkspaceTemplate {
  const { manifest, dir } = catalog.get(id)
  return { manifest, pack: async () => packTemplate(dir).stream }
}

export interface SourceOptions {
  catalog: TemplateCatalog
  /** `<data>/git-cache`. */
  gitCache: string
  git?: string
}

/** A checkout goes in whole, `.git` and template.json included (they are the user's); installed dependencies stay out. */
const CHECKOUT: PackOptions = { skipped: new Set(['node_modules']), whole: true }

/**
 * A create's source as a workspace template. A folder is read where it is (checked and packed as a template
 * folder is, not copied into the templates); a repository is checked out on the host first, and its
 * temporary checkout is removed by `dispose` once the workspace no longer needs it.
 */
export async function sourceTemplate(source: CreateSource, options: SourceOptions, onProgress: (message: string) => void): Promise<WorkspaceTemplate> {
  if (source.kind === 'template') return workspaceTemplate(options.catalog, source.id)
  if (source.kind === 'folder') {
    const manifest = loadSourceFolder(source.path)
    return { manifest, pack: async () => packTemplate(source.path).stream, ...(source.mount ? { mount: source.path } : {}) }
  }
  const checkout = await checkoutRepository(source, { cacheDir: options.gitCache, ...(options.git ? { git: options.git } : {}), onProgress })
  try {
    const manifest = loadSourceFolder(checkout.dir)
    // Checked now, so a repository over the limits is refused before anything is created.
    readTemplateTree(checkout.dir, DEFAULT_TREE_LIMITS, CHECKOUT.skipped)
    onProgress(`${checkout.cached ? 'Fetched' : 'Cloned'} ${checkout.url} at ${checkout.commit.slice(0, 12)}`)
    return { manifest, pack: async () => packTemplate(checkout.dir, DEFAULT_TREE_LIMITS, CHECKOUT).stream, dispose: () => checkout.remove() }
  } catch (err) {
    checkout.remove()
    throw err
  }
}

/**
 * A folder's settings as a template's are found (template.json, package.json, devcontainer.json); a project
 * with none of them (Python, Go, plain files) is a shell workspace named after its folder, which `--start`
 * and `--port` can make an app.
 */
function loadSourceFolder(dir: string): TemplateManifest {
  const has = (file: string): boolean => lstatSync(join(dir, file), { throwIfNoEntry: false }) !== undefined
  const described = (): boolean => [MANIFEST_FILE, 'package.json', '.devcontainer', '.devcontainer.json'].some(has)
  if (!lstatSync(dir, { throwIfNoEntry: false })?.isDirectory() || described()) return loadTemplateFolder(dir).manifest
  return { id: sanitizeId(basename(dir)) ?? 'project', name: basename(dir).slice(0, 80) || 'project' }
}

/** The source's settings with the create's overrides on top; the result is validated as a template.json is. */
export function withOverrides(manifest: TemplateManifest, overrides: CreateOverrides): TemplateManifest {
  const env = overrides.env ? { ...manifest.env, ...overrides.env } : manifest.env
  const limits = overrides.limits ? { ...manifest.limits, ...overrides.limits } : manifest.limits
  const result: TemplateManifest = {
    ...manifest,
    ...(env ? { env } : {}),
    ...(limits ? { limits } : {}),
    ...(overrides.start === undefined ? {} : { start: overrides.start }),
    ...(overrides.port === undefined ? {} : { port: overrides.port })
  }
  if (overrides.port !== undefined && result.start === undefined) {
    throw new SandlotError('BAD_REQUEST', `--port ${overrides.port} was given, but ${manifest.id} runs no app.`, 'Give the command that serves on that port with --start.')
  }
  return result
}

/** template.json's restart policy as monitor-cli's flags (durations in ms, which its parser reads). */
export function restartArgs(restart: TemplateRestart | undefined): string[] {
  if (!restart) return []
  const flags: [string, string | undefined][] = [
    ['--restart', restart.policy],
    ['--max-restarts', restart.maxRestarts?.toString()],
    ['--restart-window', restart.windowMs === undefined ? undefined : `${restart.windowMs}ms`],
    ['--backoff-initial', restart.backoffMs === undefined ? undefined : `${restart.backoffMs}ms`],
    ['--backoff-factor', restart.backoffFactor?.toString()],
    ['--backoff-max', restart.maxBackoffMs === undefined ? undefined : `${restart.maxBackoffMs}ms`]
  ]
  return flags.flatMap(([flag, value]) => (value === undefined ? [] : [flag, value]))
}
