import { extname, join } from 'node:path'
import { isIconFile, type TemplateManifest } from '../contract/template'
import { MANIFEST_FILE, TemplateProblems } from './template-manifest'
import { readRegularFile, UnsafeFileError } from './no-follow'

/** An icon is drawn at 40 px: anything larger than this is not an icon, and every list of templates carries it. */
export const ICON_MAX_BYTES = 64 * 1024

const MIME: Record<string, string> = {
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon'
}

/**
 * The image file a manifest's `icon` names, as a data: URL the window shows in an <img> (where an SVG's scripts
 * never run); undefined for a text or emoji icon. Read without following links, like every template file.
 */
export function templateIconImage(dir: string, manifest: TemplateManifest): string | undefined {
  const { icon } = manifest
  if (icon === undefined || !isIconFile(icon)) return undefined
  let bytes: Buffer | undefined
  try {
    bytes = readRegularFile(join(dir, icon), ICON_MAX_BYTES, dir)
  } catch (err) {
    if (err instanceof UnsafeFileError) throw new TemplateProblems([`${MANIFEST_FILE}: "icon": ${icon} ${err.message}`])
    throw err
  }
  if (bytes === undefined) throw new TemplateProblems([`${MANIFEST_FILE}: "icon": ${icon} is not a file in the template`])
  return `data:${MIME[extname(icon).toLowerCase()]};base64,${bytes.toString('base64')}`
}
