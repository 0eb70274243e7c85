import { resolve } from 'node:path'
import { InvalidArgumentError, type Command } from 'commander'
import { isIconFile, TemplateId, type TemplateDetail, type TemplateSummary } from '../../core/contract/template'
import type { CliContext } from '../cli-context'
import { printResult, table } from '../output'

export function registerTemplateCommands(program: Command, ctx: CliContext): void {
  const templates = program.command('templates').description('the templates workspaces are created from')

  templates
    .command('list')
    .description('list the built-in templates and your own')
    .action(async () => {
      const list = await (await ctx.core()).api.call('templates.list', {})
      printResult(ctx, list, listing)
    })

  templates
    .command('show')
    .description('show how a template installs and starts, and what it holds')
    .argument('<id>', 'template id', parseId)
    .action(async (id: string) => {
      printResult(ctx, await (await ctx.core()).api.call('templates.show', { id }), describe)
    })

  templates
    .command('add')
    .description('add a folder as your own template: one with a template.json, or a project with a package.json')
    .argument('<folder>', 'the template folder')
    .option('--replace', 'replace your template with the same id')
    .action(async (folder: string, options: { replace?: boolean }) => {
      const added = await (await ctx.core()).api.call('templates.add', { folder: resolve(folder), replace: options.replace })
      printResult(ctx, added, (t) => `${t.replaced ? 'Replaced' : 'Added'} template ${t.id}.\n${describe(t)}`)
    })

  templates
    .command('remove')
    .description('remove one of your templates (built-in templates stay); workspaces made from it keep their files')
    .argument('<id>', 'template id', parseId)
    .action(async (id: string) => {
      printResult(ctx, await (await ctx.core()).api.call('templates.remove', { id }), (r) => `Removed template ${r.id}.`)
    })
}

function parseId(value: string): string {
  if (!TemplateId.safeParse(value).success) {
    throw new InvalidArgumentError('Template ids are 1 to 63 lowercase letters, digits and dashes, starting with a letter or digit.')
  }
  return value
}

function listing(list: TemplateSummary[]): string {
  if (list.length === 0) return 'No templates.'
  const rows = list.map((t) => [t.id, t.name, t.source, t.packageManager ?? '-', t.problem ? `broken: see \`sandlot templates show ${t.id}\`` : t.description])
  return columns([['ID', 'NAME', 'SOURCE', 'PM', 'DESCRIPTION'], ...rows])
}

function describe(t: TemplateDetail): string {
  const m = t.manifest
  const from = (field: string): string => (t.inferredFrom[field] ? `  (from ${t.inferredFrom[field]})` : '')
  const rows: Array<[string, string]> = [
    ['id', `${t.id}${from('id')}`],
    ['source', `${t.source === 'builtin' ? 'built-in' : 'yours'}, ${t.inferred ? 'inferred (no template.json)' : 'template.json'}`],
    ['folder', t.dir],
    ['install', `${m.install ?? 'nothing'}${from('install')}`],
    ['start', `${m.start ?? 'nothing (a shell workspace)'}${from('start')}`],
    ['port', `${m.port ?? 'none'}${from('port')}`]
  ]
  if (m.readyPattern) rows.push(['ready when', `a line matches /${m.readyPattern}/i`])
  if (m.env && Object.keys(m.env).length > 0) {
    rows.push(['env', `${Object.entries(m.env).map(([key, value]) => `${key}=${value}`).join(' ')}${from('env')}`])
  }
  if (m.limits && Object.keys(m.limits).length > 0) {
    const { memoryMb, cpus, pids } = m.limits
    const parts = [memoryMb && `${memoryMb} MB memory`, cpus && `${cpus} CPUs`, pids && `${pids} processes`].filter(Boolean)
    rows.push(['limits', parts.join(', ')])
  }
  if (t.packageManager) rows.push(['package manager', t.packageManager])
  rows.push(['files', `${t.files} (${size(t.bytes)})`])
  const title = [`${m.icon && !isIconFile(m.icon) ? `${m.icon} ` : ''}${m.name}`, m.description].filter(Boolean).join('\n')
  return `${title}\n${table(rows)}`
}

/** Rows as aligned columns, without trailing blanks. */
function columns(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)))
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n')
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}
