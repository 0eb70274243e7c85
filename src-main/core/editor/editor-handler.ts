import type { MethodHandlers } from '../api'
import type { Workspace } from '../contract'
import { SandlotError } from '../sandlot-error'
import type { EditorLauncher } from './editor-launcher'
import { openInEditor } from './open-in-editor'

export interface EditorDeps {
  describe(name: string): Promise<Workspace>
  /**
   * From the engine's view of the container: its name (`/sandlot-web`, what Dev Containers attaches to) and the
   * host folder bind-mounted at /app (`create --folder PATH --mount`), undefined for the others.
   */
  inspectContainer(containerId: string): Promise<{ name: string; mountedFolder: string | undefined }>
  editorCommand(): string
  launcher: EditorLauncher
}

/** `workspaces.openEditor`: a mounted workspace opens as its host folder, any other attached to its running container. */
export function editorHandlers(deps: EditorDeps): Pick<MethodHandlers, 'workspaces.openEditor'> {
  return {
    'workspaces.openEditor': async ({ name }) => {
      const workspace = await deps.describe(name)
      const container = workspace.container === 'missing' || workspace.container === 'none' ? undefined : await deps.inspectContainer(workspace.containerId)
      const editor = deps.editorCommand()
      if (container?.mountedFolder !== undefined) return openInEditor({ workspace: name, editor, target: { kind: 'folder', path: container.mountedFolder } }, deps.launcher)
      if (container === undefined || workspace.container !== 'running') {
        throw new SandlotError(
          'CONFLICT',
          `${name} is not running (its container is ${workspace.container}): the editor attaches to a running container.`,
          workspace.container === 'missing' || workspace.container === 'none' ? `Make it again: sandlot create --name ${name} …` : `Start it first: sandlot start ${name}.`
        )
      }
      return openInEditor({ workspace: name, editor, target: { kind: 'container', containerName: container.name } }, deps.launcher)
    }
  }
}
