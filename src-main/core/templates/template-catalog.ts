import { randomBytes } from 'node:crypto'
import { chmodSync, createReadStream, createWriteStream, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, symlinkSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { fileURLToPath } from 'node:url'
import {
  TemplateId,
  type TemplateAddResult,
  type TemplateDetail,
  type TemplateRemoveResult,
  type TemplateSource,
  type TemplateSummary
} from '../contract/template'
import { SandlotError } from '../sandlot-error'
import { didYouMean } from '../closest-name'
import { appEntries, DEFAULT_TREE_LIMITS, openChecked, readTemplateTree, type TemplateTree, type TreeLimits } from './template-archive'
import { loadTemplateFolder, type LoadedTemplate } from './template-folder'

export interface CatalogTemplate extends LoadedTemplate {
  id: string
  source: TemplateSource
}

export interface TemplateCatalogOptions {
  /** The built-in templates (resources/templates), looked up on first use. */
  builtinDir: () => string
  /** The user's templates: the data folder's templates/. */
  userDir: string
  limits?: TreeLimits
}

/**
 * Built-in templates (read-only, shipped in resources/templates) and the user's own (the data folder's
 * templates/<id>/). A template's id is its folder name; ids are unique across both.
 */
export class TemplateCatalog {
  readonly #builtinDir: () => string
  readonly #userDir: string
  readonly #limits: TreeLimits

  constructor(options: TemplateCatalogOptions) {
    this.#builtinDir = options.builtinDir
    this.#userDir = options.userDir
    this.#limits = options.limits ?? DEFAULT_TREE_LIMITS
  }

  /** Every template; one that no longer loads is listed with its problem instead of hiding the rest. */
  list(): TemplateSummary[] {
    const builtins = templateFolders(this.#builtinDir())
    const users = templateFolders(this.#userDir)
    return [
      ...builtins.map((id) => this.#summary(id, 'builtin')),
      ...users.map((id) =>
        builtins.includes(id)
          ? { id, name: id, description: '', source: 'user' as const, problem: 'has the id of a built-in template and is never used: rename or remove its folder' }
          : this.#summary(id, 'user')
      )
    ]
  }

  /** A template by id, loaded and validated: what a workspace is created from (`packTemplate(template.dir)`). */
  get(id: string): CatalogTemplate {
    checkId(id)
    const source = this.#sourceOf(id)
    if (!source) {
      const ids = [...templateFolders(this.#builtinDir()), ...templateFolders(this.#userDir)]
      throw new SandlotError('NOT_FOUND', `There is no template "${id}".${didYouMean(id, ids)}`, 'See `sandlot templates list` for the templates there are.')
    }
    return { ...loadTemplateFolder(this.#folder(id, source), id), id, source }
  }

  show(id: string): TemplateDetail {
    return detail(this.get(id), readTemplateTree(this.#folder(id, this.#sourceOf(id)!), this.#limits))
  }

  /**
   * Installs a folder as a user template: it is checked completely first (manifest, every entry, the limits),
   * copied without following links into a hidden folder, checked again there, and only then renamed into
   * place, so a failure at any point leaves nothing behind and other processes never see half a template.
   */
  async add(folder: string, options: { replace?: boolean } = {}): Promise<TemplateAddResult> {
    const source = resolve(folder)
    const loaded = loadTemplateFolder(source)
    const id = loaded.manifest.id
    const existing = this.#sourceOf(id)
    if (existing === 'builtin') {
      throw new SandlotError('CONFLICT', `"${id}" is a built-in template's id.`, 'Give yours another id (the id in template.json, or the name in package.json).')
    }
    if (existing === 'user' && !options.replace) {
      throw new SandlotError('CONFLICT', `There is a template "${id}" already.`, 'Add --replace to replace it, or give yours another id.')
    }
    const tree = readTemplateTree(source, this.#limits)

    mkdirSync(this.#userDir, { recursive: true, mode: 0o700 })
    const staging = mkdtempSync(join(this.#userDir, `.adding-${id}-`))
    try {
      await copyTree(tree, staging)
      // The copy is what will be used: check it, not the source, which may have changed since.
      const copied = loadTemplateFolder(staging, id)
      // Said of the source folder: in the copy, an inferred id would seem to come from the folder's name.
      const result = detail({ ...copied, inferredFrom: loaded.inferredFrom, id, source: 'user' }, readTemplateTree(staging, this.#limits))
      const replaced = this.#install(id, staging, options.replace === true)
      return { ...result, dir: this.#folder(id, 'user'), replaced }
    } finally {
      rmSync(staging, { recursive: true, force: true })
    }
  }

  /** Removes a user template; built-ins stay. Workspaces made from it keep their own copy in /app. */
  remove(id: string): TemplateRemoveResult {
    checkId(id)
    const source = this.#sourceOf(id)
    if (source === 'builtin') throw new SandlotError('BAD_REQUEST', `"${id}" is a built-in template; built-in templates cannot be removed.`)
    if (!source) throw new SandlotError('NOT_FOUND', `There is no user template "${id}".${didYouMean(id, templateFolders(this.#userDir))}`, 'See `sandlot templates list`.')
    // Renamed away first, so the id is free at once and a half-deleted folder is never listed.
    const doomed = join(this.#userDir, `.removing-${id}-${randomBytes(4).toString('hex')}`)
    renameSync(this.#folder(id, 'user'), doomed)
    rmSync(doomed, { recursive: true, force: true })
    return { id, removed: true }
  }

  /** Moves a checked copy into place; true when it replaced a template. */
  #install(id: string, staging: string, replace: boolean): boolean {
    const target = this.#folder(id, 'user')
    const old = join(this.#userDir, `.replaced-${id}-${randomBytes(4).toString('hex')}`)
    let replaced = false
    if (replace) {
      try {
        renameSync(target, old)
        replaced = true
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
      }
    }
    try {
      renameSync(staging, target)
    } catch (err) {
      if (replaced) restore(old, target)
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'ENOTEMPTY' || code === 'EEXIST') {
        throw new SandlotError('CONFLICT', `Another template "${id}" was added meanwhile.`, 'Add --replace to replace it, or give yours another id.')
      }
      throw err
    }
    if (replaced) rmSync(old, { recursive: true, force: true })
    return replaced
  }

  #summary(id: string, source: TemplateSource): TemplateSummary {
    try {
      const { manifest, packageManager, iconImage } = loadTemplateFolder(this.#folder(id, source), id)
      return { id, name: manifest.name, description: manifest.description ?? '', icon: manifest.icon, iconImage, source, packageManager }
    } catch (err) {
      return { id, name: id, description: '', source, problem: (err as Error).message }
    }
  }

  #sourceOf(id: string): TemplateSource | undefined {
    if (isFolder(this.#folder(id, 'builtin'))) return 'builtin'
    if (isFolder(this.#folder(id, 'user'))) return 'user'
    return undefined
  }

  #folder(id: string, source: TemplateSource): string {
    return join(source === 'builtin' ? this.#builtinDir() : this.#userDir, id)
  }
}

function checkId(id: string): void {
  if (!TemplateId.safeParse(id).success) {
    throw new SandlotError('BAD_REQUEST', `"${id}" is not a template id.`, 'Ids are 1 to 63 lowercase letters, digits and dashes, starting with a letter or digit.')
  }
}

/** Folders named like ids: hidden work folders (.adding-…) and stray files are not templates. */
function templateFolders(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && TemplateId.safeParse(entry.name).success)
    .map((entry) => entry.name)
    .sort()
}

/** Puts a replaced template back; if another one took its place meanwhile, that one stays. */
function restore(old: string, target: string): void {
  try {
    renameSync(old, target)
  } catch {
    rmSync(old, { recursive: true, force: true })
  }
}

/** A real folder: a link named like a template is not one. */
function isFolder(path: string): boolean {
  try {
    return lstatSync(path).isDirectory()
  } catch {
    return false
  }
}

function detail(template: CatalogTemplate, tree: TemplateTree): TemplateDetail {
  const files = appEntries(tree).filter((entry) => entry.type === 'file')
  return {
    id: template.id,
    source: template.source,
    dir: template.dir,
    manifest: template.manifest,
    packageManager: template.packageManager,
    files: files.length,
    bytes: files.reduce((sum, entry) => sum + entry.size, 0),
    inferred: template.inferred,
    inferredFrom: template.inferredFrom
  }
}

/** Recreates a checked tree: folders before their content, links as links, file contents read without following links. */
async function copyTree(tree: TemplateTree, target: string): Promise<void> {
  for (const entry of tree.entries) {
    const to = join(target, entry.name)
    if (entry.type === 'directory') {
      // The owner keeps full access to its own copy, whatever the source folder allowed; nobody else may write
      // to it (the data folder refuses to start with files others can write).
      mkdirSync(to, { mode: (entry.mode | 0o700) & ~0o022 })
    } else if (entry.type === 'symlink') {
      symlinkSync(entry.linkname!, to)
    } else {
      await pipeline(createReadStream('', { fd: openChecked(join(tree.dir, entry.name), entry.stats) }), createWriteStream(to, { flags: 'wx', mode: entry.mode & ~0o022 }))
      chmodSync(to, entry.mode & ~0o022)
    }
  }
}

/**
 * The built-in templates: `SANDLOT_RESOURCES_DIR`/templates, a packaged app's resources, or the checkout this
 * file runs from (source or bundle: the nearest ancestor holding resources/templates).
 */
export function locateBuiltinTemplates(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SANDLOT_RESOURCES_DIR) return join(env.SANDLOT_RESOURCES_DIR, 'templates')
  const resources = (process as { resourcesPath?: string }).resourcesPath
  if (resources && existsSync(join(resources, 'templates'))) return join(resources, 'templates')
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'resources', 'templates'))) return join(dir, 'resources', 'templates')
    if (dirname(dir) === dir) break
  }
  throw new SandlotError('NOT_FOUND', 'Cannot find the built-in templates (resources/templates).', 'Set SANDLOT_RESOURCES_DIR to the resources folder that holds templates/.')
}
