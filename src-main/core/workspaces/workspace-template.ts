import type { TemplateCatalog } from '../templates/template-catalog'
import { packTemplate } from '../templates/template-archive'
import type { WorkspaceTemplate } from './workspace-service'

/** A catalog template as a workspace uses it: its manifest's run settings, and its files packed on demand. */
export function workspaceTemplate(catalog: TemplateCatalog, id: string): WorkspaceTemplate {
  const { manifest, dir } = catalog.get(id)
  return { manifest, pack: async () => packTemplate(dir).stream }
}
