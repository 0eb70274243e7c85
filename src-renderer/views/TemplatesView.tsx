import { useId, useMemo, useState, type FormEvent } from 'react'
import { type TemplateDetail, type TemplateSummary } from '../../src-main/core/contract'
import { useBridge } from '../app/bridge-context'
import { useNavigate } from '../app/navigation-context'
import { useCallWhileOpen } from '../app/use-call-while-open'
import { useTemplates } from '../app/use-templates'
import { callError, type CallError } from '../bridge/bridge'
import { ConfirmDialog } from '../components/ConfirmDialog'
import { ErrorDetails } from '../components/ErrorDetails'
import { HintText } from '../components/HintText'
import { Icon } from '../components/Icon'
import { TemplateIcon } from '../components/TemplateIcon'
import { folderProblem } from './folder-model'
import { sortTemplates, templateDetailFacts } from './template-model'
import { PageHeader } from '../components/PageHeader'
import { FactList } from '../components/FactList'

/** The built-in templates and the user's own: add a folder, look inside one, remove one of yours. */
export function TemplatesView() {
  const bridge = useBridge()
  const navigate = useNavigate()
  // Asked again after each add or remove (and whenever the link reopens).
  const list = useTemplates()
  const templates = useMemo(() => (list.templates === undefined ? undefined : sortTemplates(list.templates)), [list.templates])
  const [removing, setRemoving] = useState<TemplateSummary>()
  const [removeError, setRemoveError] = useState<{ id: string; error: CallError }>()
  const changed = list.reload

  const remove = (template: TemplateSummary): void => {
    setRemoving(undefined)
    setRemoveError(undefined)
    bridge.call('templates.remove', { id: template.id }).then(changed, (err: unknown) => setRemoveError({ id: template.id, error: callError(err) }))
  }

  return (
    <div className="page">
      <PageHeader
        title="Templates"
        lead={<HintText text="What workspaces are made from: files, and how to install and start them. `sandlot templates` does the same in a terminal." />}
        actions={
          <button type="button" className="button" onClick={() => navigate('new-workspace')}>
            <Icon name="plus" size={14} />
            New workspace
          </button>
        }
      />

      <AddTemplate onAdded={changed} />

      {templates === undefined ? (
        list.error ? (
          <ErrorDetails error={list.error} title="The templates could not be listed." />
        ) : (
          <ul className="card tpl-list" aria-busy="true" aria-label="Loading templates">
            <li className="tpl-row">
              <div className="skeleton skeleton--title" />
            </li>
          </ul>
        )
      ) : (
        <ul className="card tpl-list" aria-label="Templates" data-testid="template-list">
          {templates.map((template) => (
            <TemplateRow
              key={template.id}
              template={template}
              onRemove={() => setRemoving(template)}
              removeError={removeError?.id === template.id ? removeError.error : undefined}
              onDismissRemoveError={() => setRemoveError(undefined)}
            />
          ))}
        </ul>
      )}

      {removing && (
        <ConfirmDialog title={`Remove the template ${removing.name}?`} confirmLabel="Remove template" onCancel={() => setRemoving(undefined)} onConfirm={() => remove(removing)}>
          <p>
            <HintText text={`Its copy in the data folder is deleted. Workspaces made from it keep their files; the folder it was added from is not touched.`} />
          </p>
        </ConfirmDialog>
      )}
    </div>
  )
}

interface RowProps {
  template: TemplateSummary
  onRemove: () => void
  removeError: CallError | undefined
  onDismissRemoveError: () => void
}

function TemplateRow({ template, onRemove, removeError, onDismissRemoveError }: RowProps) {
  const [open, setOpen] = useState(false)
  const [detail, setDetail] = useState<{ detail?: TemplateDetail; error?: CallError }>({})
  const detailId = useId()
  useCallWhileOpen(
    (link) => link.call('templates.show', { id: template.id }),
    (answer) => setDetail({ detail: answer }),
    { enabled: open, key: template.id, onError: (error) => setDetail({ error }) }
  )
  return (
    <li className="tpl-row" data-testid="template-row" data-id={template.id} data-source={template.source}>
      <div className="tpl-row__main">
        <TemplateIcon template={template} />
        <div className="tpl-row__identity">
          <span className="tpl-row__name" title={template.name}>
            {template.name}
          </span>
          <span className="tpl-row__meta">
            <span className="mono" title={template.id}>
              {template.id}
            </span>
            <span className="chip">{template.source === 'builtin' ? 'Built in' : 'Yours'}</span>
          </span>
          {template.description && <p className="tpl-row__description">{template.description}</p>}
        </div>
        <div className="tpl-row__actions" role="group" aria-label={`Actions for ${template.name}`}>
          <button type="button" className="button button--small" aria-expanded={open} aria-controls={detailId} onClick={() => setOpen(!open)}>
            {open ? 'Hide' : 'Show'}
          </button>
          {template.source === 'user' && (
            <button type="button" className="button button--small button--quiet-danger" aria-label={`Remove ${template.name}`} onClick={onRemove}>
              <Icon name="trash" size={13} />
              Remove
            </button>
          )}
        </div>
      </div>
      {template.problem && (
        <div className="tpl-row__detail">
          <ErrorDetails error={{ code: 'BAD_REQUEST', message: `This template does not load: ${template.problem}` }} announce={false} />
        </div>
      )}
      {removeError && (
        <div className="tpl-row__detail">
          <ErrorDetails error={removeError} onDismiss={onDismissRemoveError} />
        </div>
      )}
      {open && (
        <div className="tpl-row__detail" id={detailId} data-testid="template-detail">
          {detail.error ? (
            <ErrorDetails error={detail.error} />
          ) : detail.detail === undefined ? (
            <div className="skeleton skeleton--line" />
          ) : (
            <FactList facts={templateDetailFacts(detail.detail)} />
          )}
        </div>
      )}
    </li>
  )
}

/**
 * A folder path, typed: a browser cannot hand a page the path of a folder on this machine, and the desktop
 * window takes the same field, so both work alike.
 */
function AddTemplate({ onAdded }: { onAdded: () => void }) {
  const bridge = useBridge()
  const id = useId()
  const [folder, setFolder] = useState('')
  const [replace, setReplace] = useState(false)
  const [state, setState] = useState<{ state: 'idle' } | { state: 'adding' } | { state: 'added'; detail: TemplateDetail & { replaced: boolean } } | { state: 'refused'; error: CallError }>({
    state: 'idle'
  })
  const typed = folder.trim()
  const problem = typed === '' ? undefined : folderProblem(typed)
  const submit = (event: FormEvent): void => {
    event.preventDefault()
    if (typed === '' || problem !== undefined || state.state === 'adding') return
    setState({ state: 'adding' })
    bridge.call('templates.add', { folder: typed, ...(replace ? { replace } : {}) }).then(
      (detail) => {
        setState({ state: 'added', detail })
        setFolder('')
        onAdded()
      },
      (err: unknown) => setState({ state: 'refused', error: callError(err) })
    )
  }
  return (
    <form className="card tpl-add" onSubmit={submit} data-testid="template-add">
      <label className="field__label" htmlFor={id}>
        Add a template from a folder
      </label>
      <div className="tpl-add__row">
        <input
          id={id}
          className="field__input mono tpl-add__input"
          value={folder}
          placeholder="/home/you/projects/my-app"
          spellCheck={false}
          autoComplete="off"
          aria-invalid={problem !== undefined}
          aria-describedby={`${id}-help`}
          onChange={(event) => {
            setFolder(event.target.value)
            if (state.state !== 'adding') setState({ state: 'idle' })
          }}
        />
        <button type="submit" className="button button--primary" disabled={typed === '' || problem !== undefined || state.state === 'adding'}>
          <Icon name={state.state === 'adding' ? 'spinner' : 'plus'} size={14} className={state.state === 'adding' ? 'spin' : undefined} />
          Add
        </button>
      </div>
      <label className="tpl-add__replace">
        <input type="checkbox" checked={replace} onChange={(event) => setReplace(event.target.checked)} />
        Replace my template with the same id
      </label>
      <p id={`${id}-help`} className={problem ? 'field__help field__help--error' : 'field__help'}>
        {problem ??
          'The full path of a folder on the machine Sandlot runs on: one with a template.json, or a project with a package.json. All of it is checked and copied; nothing is added when something is wrong.'}
      </p>
      {state.state === 'added' && (
        <p className="tpl-add__done" role="status" data-testid="template-added">
          {state.detail.replaced ? 'Replaced' : 'Added'} {state.detail.manifest.name}
          {state.detail.manifest.name === state.detail.id ? '' : ` (${state.detail.id})`}: it is in the list below, ready for a new workspace.
        </p>
      )}
      {state.state === 'refused' && <ErrorDetails error={state.error} title="The folder was not added." testId="template-add-error" />}
    </form>
  )
}

