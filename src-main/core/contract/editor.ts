import { z } from 'zod'
import { WorkspaceName } from './workspace'

export const OpenEditorResult = z.object({
  name: z.string(),
  /** The editor's command and the arguments it was started with. */
  command: z.string(),
  args: z.array(z.string()),
  /** `container`: attached to the workspace's container in /app; `folder`: a bind-mounted workspace's host folder. */
  opened: z.enum(['container', 'folder']),
  /** The Dev Containers URI opened (`vscode-remote://attached-container+…/app`). */
  uri: z.string().optional(),
  folder: z.string().optional()
})
export type OpenEditorResult = z.infer<typeof OpenEditorResult>

export const editorMethods = {
  /** Opens the workspace in the editor of the `editor.command` setting (VS Code by default) on the machine Sandlot runs on. */
  'workspaces.openEditor': { params: z.object({ name: WorkspaceName }).strict(), result: OpenEditorResult }
} as const
