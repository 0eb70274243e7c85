import { useCallback, useState } from 'react'
import type { TemplateDetail, TemplateSummary } from '../../src-main/core/contract'
import type { CallError } from '../bridge/bridge'
import { useCallWhileOpen } from './use-call-while-open'

export interface Templates {
  /** Undefined until the first answer. */
  templates?: TemplateSummary[]
  error?: CallError
  /** Asks again (after this window added or removed one). */
  reload(): void
}

/** The templates (`templates.list` only: cheap), asked whenever the link (re)opens and on `reload`. */
export function useTemplates(): Templates {
  const [state, setState] = useState<Omit<Templates, 'reload'>>({})
  const [version, setVersion] = useState(0)
  useCallWhileOpen(
    (bridge) => bridge.call('templates.list', {}),
    (templates) => setState({ templates }),
    { key: version, onError: (error) => setState((previous) => ({ ...previous, error })) }
  )
  const reload = useCallback(() => setVersion((v) => v + 1), [])
  return { ...state, reload }
}

/**
 * Each loadable template's manifest (cards show its install and start). `templates.show` reads the template's
 * folder, so only the page that needs the details asks for them.
 */
export function useTemplateDetails(templates: readonly TemplateSummary[] | undefined): Record<string, TemplateDetail> {
  const [details, setDetails] = useState<Record<string, TemplateDetail>>({})
  const ids = (templates ?? []).filter((t) => t.problem === undefined).map((t) => t.id)
  useCallWhileOpen(
    (bridge) =>
      Promise.all(
        ids.map((id) =>
          bridge.call('templates.show', { id }).then(
            (detail) => [detail],
            // The card still works without its details.
            () => []
          )
        )
      ),
    (answers) => setDetails(Object.fromEntries(answers.flat().map((detail) => [detail.id, detail]))),
    { enabled: ids.length > 0, key: ids.join('\n') }
  )
  return details
}
