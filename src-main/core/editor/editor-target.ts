/** VS Code's Dev Containers extension: what opens a folder inside a running container. */
export const DEV_CONTAINERS_EXTENSION = 'ms-vscode-remote.remote-containers'

/** Where a workspace's files are in its container. */
export const WORKSPACE_FOLDER = '/app'

/**
 * The Dev Containers URI that attaches to a running container by name and opens a folder in it (what VS Code's
 * "Attach to Running Container…" opens): the authority carries the hex of `{"containerName":"/<name>"}`.
 */
export function attachedContainerUri(containerName: string, folder: string = WORKSPACE_FOLDER): string {
  const name = containerName.startsWith('/') ? containerName : `/${containerName}`
  const hex = Buffer.from(JSON.stringify({ containerName: name }), 'utf8').toString('hex')
  return `vscode-remote://attached-container+${hex}${folder}`
}

/** What an editor is asked to open: the workspace's container (by name), or a host folder (a bind-mounted workspace). */
export type EditorTarget = { kind: 'container'; containerName: string } | { kind: 'folder'; path: string }

/** The editor's command line for a target: `code --folder-uri <uri>` for a container, `code <folder>` for a host folder. */
export function editorArgs(target: EditorTarget): string[] {
  return target.kind === 'container' ? ['--folder-uri', attachedContainerUri(target.containerName)] : [target.path]
}
