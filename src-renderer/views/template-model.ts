import { CreatePhase, type TemplateDetail, type TemplateSummary } from '../../src-main/core/contract'

const INSTALL_SHOWN = 32

/** The short facts under a template card: where it comes from and what a workspace of it does. */
export function templateFacts(summary: TemplateSummary, detail: TemplateDetail | undefined): string[] {
  const facts = [summary.source === 'builtin' ? 'Built in' : 'Your template']
  if (detail === undefined) return facts
  const { install, start, port } = detail.manifest
  // A long script does not fit a chip; the usual `npm ci` does, and says the most.
  if (install) facts.push(install.length <= INSTALL_SHOWN ? `Installs with ${install}` : 'Runs an install script')
  if (start) facts.push(port === undefined ? 'Runs an app' : `App on port ${port}`)
  if (!install && !start) facts.push('Nothing installed or started')
  return facts
}

/** The phases a workspace of this template goes through: without an install or start command the core skips those. */
export function templatePhases(detail: TemplateDetail | undefined): CreatePhase[] {
  const skipped = new Set<CreatePhase>()
  if (detail !== undefined && !detail.manifest.install) skipped.add('install')
  if (detail !== undefined && !detail.manifest.start) skipped.add('start')
  return CreatePhase.options.filter((phase) => !skipped.has(phase))
}

/** Built-in templates first, then the user's, each by name. */
export function sortTemplates(templates: readonly TemplateSummary[]): TemplateSummary[] {
  return [...templates].sort((a, b) => (a.source === b.source ? a.name.localeCompare(b.name) : a.source === 'builtin' ? -1 : 1))
}

/** What the Templates view shows of a template when opened: its folder, commands, port and size. */
export function templateDetailFacts(detail: TemplateDetail): { label: string; value: string; mono?: boolean }[] {
  const { install, start, port } = detail.manifest
  const from = (field: string): string => (detail.inferredFrom[field] ? ` (from ${detail.inferredFrom[field]})` : '')
  return [
    { label: 'Folder', value: detail.dir, mono: true },
    { label: 'Install', value: install ? `${install}${from('install')}` : 'nothing to install', mono: install !== undefined },
    { label: 'Start', value: start ? `${start}${from('start')}` : 'no app: a shell workspace', mono: start !== undefined },
    { label: 'Preview port', value: port === undefined ? 'none' : `${port}${from('port')}` },
    { label: 'Files', value: `${detail.files} ${detail.files === 1 ? 'file' : 'files'}, ${formatBytes(detail.bytes)}` }
  ]
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`
}
