import { lstatSync } from 'node:fs'
import { join } from 'node:path'
import type { CreateProgress, Workspace } from '../contract'
import { SandlotError } from '../sandlot-error'
import { sanitizeArchive } from '../templates/template-archive'
import { readSavedSettings, saveWorkspaceArchive, savedFiles } from './workspace-archive'
import { storedManifest, type WorkspaceRecords } from './workspace-records'
import type { WorkspaceCreation } from './workspace-creation'
import type { WorkspaceDeps } from './workspace-deps'

/** Save and restore: a workspace's /app and run settings to a .tar.gz, and a new workspace from one. */
export class WorkspaceSaves {
  constructor(
    private readonly deps: WorkspaceDeps,
    private readonly records: WorkspaceRecords,
    private readonly creation: WorkspaceCreation
  ) {}

  /** `sandlot save`: /app without node_modules, with its run settings, as a .tar.gz. */
  async save(name: string, file: string, options: { replace?: boolean } = {}): Promise<{ name: string; file: string; files: number; bytes: number }> {
    const row = this.records.require(name)
    // lstat: a link at the name counts as something there (it is replaced with --replace, never written through).
    const existing = lstatSync(file, { throwIfNoEntry: false })
    if (existing?.isDirectory()) throw new SandlotError('BAD_REQUEST', `${file} is a folder.`, `Give a file name, for example ${join(file, `${name}.tar.gz`)}.`)
    if (existing && !options.replace) throw new SandlotError('CONFLICT', `${file} exists.`, 'Pick another file name, or replace it with `--replace`.')
    // The settings it was made with; workspaces from before they were kept take the template's current ones.
    const manifest = storedManifest(row) ?? (await this.deps.template(row.templateId)).manifest
    const counts = await this.records.inWorkspace(row, async (container) => saveWorkspaceArchive(await container.getArchive({ path: '/app' }), manifest, file, { ...options, name }))
    return { name, file, ...counts }
  }

  /** `sandlot restore`: a new workspace from a saved archive, every entry checked as template files are. */
  async restore(file: string, name: string | undefined, onProgress: (p: CreateProgress) => void = () => {}): Promise<Workspace> {
    const { template: manifest, name: savedName } = await readSavedSettings(file)
    // Every entry is checked before anything is created, so a refused archive changes nothing.
    for await (const _chunk of sanitizeArchive(savedFiles(file))) void _chunk
    // Without a name it comes back under the one it was saved with, when that is free; else a new one.
    const free = savedName !== undefined && !this.records.row(savedName) && (await this.creation.assertNameFree(savedName).then(() => true, () => false))
    return this.creation.create({ manifest, pack: async () => sanitizeArchive(savedFiles(file)) }, { name: name ?? (free ? savedName : undefined) }, onProgress)
  }
}
