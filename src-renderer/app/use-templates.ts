import { useEffect, useState } from 'react'
import type { TemplateDetail, TemplateSummary } from '../../src-main/core/contract'
import { useBridge, useConnection } from './bridge-context'
import { failureOf } from './creations-context'
import type { FailureInfo } from './creations'

export interface Templates {
  /** Undefined until the first answer. */
  templates?: TemplateSummary[]
  /** Each loadable template's manifest, as it arrives (cards show its install and start). */
  details: Record<string, TemplateDetail>
  error?: FailureInfo
}

/** The templates and their details, asked whenever the link (re)opens. */
export function useTemplates(): Templates {
  const bridge = useBridge()
  const open = useConnection().state === 'open'
  const [state, setState] = useState<Templates>({ details: {} })

  useEffect(() => {
    if (!open) return
    let current = true
    bridge.call('templates.list', {}).then(
      (templates) => {
        if (!current) return
        setState((previous) => ({ templates, details: previous.details }))
        for (const template of templates.filter((t) => t.problem === undefined)) {
          bridge.call('templates.show', { id: template.id }).then(
            (detail) => {
              if (current) setState((previous) => ({ ...previous, details: { ...previous.details, [detail.id]: detail } }))
            },
            // The card still works without its details.
            () => undefined
          )
        }
      },
      (err: unknown) => {
        if (current) setState((previous) => ({ ...previous, error: failureOf(err) }))
      }
    )
    return () => {
      current = false
    }
  }, [bridge, open])

  return state
}
