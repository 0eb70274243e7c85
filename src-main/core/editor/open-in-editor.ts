import type { OpenEditorResult } from '../contract/editor'
import { SandlotError } from '../sandlot-error'
import type { EditorLauncher } from './editor-launcher'
import { DEV_CONTAINERS_EXTENSION, editorArgs, type EditorTarget } from './editor-target'

export interface OpenInEditor {
  workspace: string
  /** The `editor.command` setting: a VS Code–compatible command (code, code-insiders, cursor, codium…). */
  editor: string
  target: EditorTarget
}

const SET_EDITOR = 'or name your editor\'s command: `sandlot config set editor.command /path/to/code`'

/**
 * Opens a workspace in the user's editor: attached to its container in /app through Dev Containers, or the host
 * folder of a bind-mounted workspace. What is missing (the editor, its Dev Containers extension) is said with what
 * to install, before anything is started.
 */
export async function openInEditor({ workspace, editor, target }: OpenInEditor, launcher: EditorLauncher): Promise<OpenEditorResult> {
  if (target.kind === 'container') await requireDevContainers(editor, launcher)
  const args = editorArgs(target)
  await launcher.start(editor, args).catch((err: unknown) => {
    throw notStarted(editor, err)
  })
  return {
    name: workspace,
    command: editor,
    args,
    ...(target.kind === 'container' ? { opened: 'container' as const, uri: args[1]! } : { opened: 'folder' as const, folder: target.path })
  }
}

async function requireDevContainers(editor: string, launcher: EditorLauncher): Promise<void> {
  const listed = await launcher.output(editor, ['--list-extensions']).catch((err: unknown) => {
    throw notStarted(editor, err)
  })
  if (listed.exitCode !== 0) {
    throw new SandlotError(
      'EDITOR_MISSING',
      `\`${editor} --list-extensions\` failed (exit code ${listed.exitCode}): ${editor} is not a working VS Code command.`,
      `Install VS Code (https://code.visualstudio.com) with its \`code\` command on the PATH, ${SET_EDITOR}.`
    )
  }
  // VS Code's own, or a fork's copy of it (Cursor's anysphere.remote-containers): the same attach URI works.
  const ids = listed.stdout.split(/\r?\n/).map((line) => line.trim().toLowerCase())
  if (!ids.some((id) => id === DEV_CONTAINERS_EXTENSION || id.endsWith('.remote-containers'))) {
    throw new SandlotError(
      'EDITOR_MISSING',
      `${editor} has no Dev Containers extension, which opens a folder inside a container.`,
      `Install it: \`${editor} --install-extension ${DEV_CONTAINERS_EXTENSION}\` (or from the Extensions view), then open the workspace again.`
    )
  }
}

function notStarted(editor: string, err: unknown): SandlotError {
  const code = (err as NodeJS.ErrnoException).code
  if (code === 'ENOENT') {
    return new SandlotError(
      'EDITOR_MISSING',
      `The editor command \`${editor}\` was not found on this machine.`,
      `Install VS Code (https://code.visualstudio.com) and its \`code\` command (in VS Code: "Shell Command: Install 'code' command in PATH"), ${SET_EDITOR}.`
    )
  }
  return new SandlotError('EDITOR_MISSING', `The editor command \`${editor}\` could not be started: ${(err as Error).message}`, `Check that \`${editor}\` runs in a terminal, ${SET_EDITOR}.`)
}
