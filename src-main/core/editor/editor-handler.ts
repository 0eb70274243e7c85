import type { MethodHandlers } from '../api'
import type { Workspace } from '../contract'
import { SandlotError } from '../sandlot-error'
import type { EditorLauncher } from './editor-launcher'
import { openInEditor } from './open-in-editor'

export interface EditorDeps {
  describe(name: string): Promise<Workspace>
  /** The container's name as the engine has it (`/sandlot-web`): what Dev Containers attaches to. */
  containerName(containerId: string): Promise<string>
  /** The host folder a workspace has bind-mounted at /app (`create --folder PATH --mount`); undefined for the others. */
  mountedFolder(workspace: Workspace): string | undefined
  editorCommand(): string
  launcher: EditorLauncher
}

/** `workspaces.openEditor`: a mounted workspace opens as its host folder, any other attached to its running container. */
export function editorHandlers(deps: EditorDeps): Pick<MethodHandlers, 'workspaces.openEditor'> {
  return {
    'workspaces.openEditor': async ({ name }) => {
      const workspace = await deps.describe(name)
      const folder = deps.mountedFolder(workspace)
      const editor = deps.editorCommand()
      if (folder !== undefined) return openInEditor({ workspace: name, editor, target: { kind: 'folder', path: folder } }, deps.launcher)
      if (workspace.container !== 'running') {
        throw new SandlotError(
          'CONFLICT',
          `${name} is not running (its container is ${workspace.container}): the editor attaches to a running container.`,
          workspace.container === 'missing' || workspace.container === 'none' ? `Make it again: sandlot create --name ${name} …` : `Start it first: sandlot start ${name}.`
        )
      }
      return openInEditor({ workspace: name, editor, target: { kind: 'container', containerName: await deps.containerName(workspace.containerId) } }, deps.launcher)
    }
  }
}
