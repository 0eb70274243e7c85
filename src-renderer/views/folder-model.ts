import { HostFolder } from '../../src-main/core/contract'
import { slugOf } from './repository-model'

/** What is wrong with a typed host folder, as the core would refuse it; nothing while still empty. */
export function folderProblem(folder: string): string | undefined {
  if (folder.trim() === '') return undefined
  return HostFolder.safeParse(folder.trim()).success ? undefined : 'Give the full path (starting with / , or a drive letter on Windows): a relative one depends on where Sandlot runs.'
}

/** A folder's last part as the start of a workspace name: `/home/me/My Site/` → `my-site`. */
export function folderSlug(folder: string): string {
  const parts = folder.split(/[\\/]+/).filter((part) => part !== '' && !/^[A-Za-z]:$/.test(part))
  return slugOf(parts.at(-1) ?? '', 'folder')
}
