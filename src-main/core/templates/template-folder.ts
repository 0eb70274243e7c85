import { statSync, type Stats } from 'node:fs'
import { dirname } from 'node:path'
import type { PackageManager, TemplateManifest } from '../contract/template'
import { SandlotError } from '../sandlot-error'
import { templateIconImage } from './template-icon'
import { detectPackageManager, inferTemplate } from './template-inference'
import { invalidTemplate, MANIFEST_FILE, readTemplateManifest, TemplateProblems } from './template-manifest'

/** A template folder, understood: its manifest from template.json, or inferred from package.json. */
export interface LoadedTemplate {
  dir: string
  manifest: TemplateManifest
  packageManager?: PackageManager
  inferred: boolean
  /** For inferred manifests: each field and where its value came from. */
  inferredFrom: Record<string, string>
  /** The image file `icon` names, as a data: URL. */
  iconImage?: string
}

/**
 * Loads a template folder; any problem with its files is one BAD_REQUEST naming each of them. `id`, when
 * given, is the id the folder is installed under: an inferred manifest takes it, and template.json must agree.
 */
export function loadTemplateFolder(dir: string, id?: string): LoadedTemplate {
  let stats: Stats | undefined
  try {
    stats = statSync(dir)
  } catch {
    // Missing or unreadable: there is no folder to use.
  }
  if (stats !== undefined && !stats.isDirectory()) {
    // Often the template.json or package.json itself: the folder that holds it is what was meant.
    throw new SandlotError('BAD_REQUEST', `${dir} is a file, not a folder.`, `Give the folder that holds the template, for example ${dirname(dir)}.`)
  }
  if (stats === undefined) throw new SandlotError('NOT_FOUND', `There is no folder at ${dir}.`, 'Give the path of a template folder: one with a template.json or a package.json.')
  try {
    const manifest = readTemplateManifest(dir)
    if (manifest) {
      if (id !== undefined && manifest.id !== id) {
        throw new TemplateProblems([`${MANIFEST_FILE}: "id" is "${manifest.id}", but the template is installed as "${id}"`])
      }
      const iconImage = templateIconImage(dir, manifest)
      return { dir, manifest, packageManager: detectPackageManager(dir), inferred: false, inferredFrom: {}, ...(iconImage === undefined ? {} : { iconImage }) }
    }
    const { manifest: guessed, packageManager, origins } = inferTemplate(dir)
    if (id === undefined) return { dir, manifest: guessed, packageManager, inferred: true, inferredFrom: origins }
    return { dir, manifest: { ...guessed, id }, packageManager, inferred: true, inferredFrom: { ...origins, id: 'its folder name' } }
  } catch (err) {
    if (err instanceof TemplateProblems) throw invalidTemplate(dir, err.problems)
    throw err
  }
}
