import { useEffect, useId, useRef, useState } from 'react'
import type { TemplateDetail, TemplateSummary } from '../../src-main/core/contract'
import { creationNotices, lastEnded, type CreationTemplate } from '../app/creations'
import { useCreations } from '../app/creations-context'
import { useNavigate } from '../app/navigation-context'
import { useSettings } from '../app/settings-context'
import { useCallWhileOpen } from '../app/use-call-while-open'
import { useLiveValue } from '../app/use-live-value'
import { useTemplateDetails, useTemplates } from '../app/use-templates'
import { EngineDownNotice } from '../components/EngineDownNotice'
import { ErrorDetails } from '../components/ErrorDetails'
import { HintText } from '../components/HintText'
import { Icon } from '../components/Icon'
import { TemplateIcon } from '../components/TemplateIcon'
import { CreationLine } from './CreationLine'
import { CreationPanel } from './CreationPanel'
import { FolderForm } from './FolderForm'
import { IdleStopField } from './IdleStopField'
import { RepositoryForm } from './RepositoryForm'
import { folderSlug } from './folder-model'
import { idleStopRequest, minutesOnCustom, type IdleStopChoice } from './idle-stop-model'
import { repositoryLabel, repositorySlug } from './repository-model'
import { sortTemplates, templateFacts, templatePhases } from './template-model'
import { defaultWorkspaceName, nameProblem } from './workspace-model'

/** Templates as cards: one click makes a workspace of it, and the page follows the creation. */
export function NewWorkspaceView() {
  const navigate = useNavigate()
  const { creations, create, dismiss, markSeen } = useCreations()
  const { templates, error } = useTemplates()
  const details = useTemplateDetails(templates)
  const engine = useLiveValue('engine.status')
  // Asked again whenever a creation ends: the first one builds the image.
  const imageMissing = useImageMissing(engine?.state === 'connected', lastEnded(creations))
  const [name, setName] = useState('')
  const [idleChoice, setIdleChoice] = useState<IdleStopChoice>('setting')
  const [idleMinutes, setIdleMinutes] = useState('')
  const settingMinutes = useSettings().view?.settings.workspaces.idleStopMinutes
  // The creation shown in full: one this page started (its panel takes the focus from the clicked card), or opened.
  const [started, setStarted] = useState<number>()
  // The creations this page started (not those opened from a line): their name is the one in the field.
  const begun = useRef(new Set<number>())
  // Results already shown on an earlier visit stay away: the page opens on the form (StrictMode-safe: a snapshot).
  const [seenBefore] = useState(() => new Set(creations.filter((c) => c.seen).map((c) => c.id)))
  const nameInput = useRef<HTMLInputElement>(null)
  const idleInput = useRef<HTMLInputElement>(null)
  const focusName = useRef(false)
  const nameId = useId()

  const { panel, lines } = creationNotices(creations, seenBefore, started)
  const problem = nameProblem(name)
  const idleStop = idleStopRequest(idleChoice, idleMinutes)

  // Every ended creation on show counts as seen: the next visit does not show it again.
  const endedShown = [panel, ...lines].flatMap((c) => (c?.ended === undefined || c.seen ? [] : [c.id])).join()
  useEffect(() => {
    if (endedShown !== '') markSeen(endedShown.split(',').map(Number))
  }, [endedShown, markSeen])

  // The name just used is taken now: a create that worked clears it for the next one (a failed one keeps it to fix).
  const madeHere = panel?.outcome.state === 'ready' && begun.current.has(panel.id) ? panel.id : undefined
  useEffect(() => {
    if (madeHere !== undefined) setName('')
  }, [madeHere])

  // After "Edit and try again" or a dismiss: pick up where the user left it.
  useEffect(() => {
    if (panel !== undefined || !focusName.current) return
    focusName.current = false
    nameInput.current?.focus()
  }, [panel])

  const chooseIdle = (choice: IdleStopChoice): void => {
    setIdleChoice(choice)
    if (choice === 'custom') setIdleMinutes(minutesOnCustom(idleMinutes, settingMinutes))
  }

  /**
   * Every source's create: a name or idle stop the core would refuse sends nothing and puts the focus where the
   * fix goes; an empty name becomes `<slug>-<6 hex>`, as the core would pick it.
   */
  const begin = (template: CreationTemplate, slug: string): void => {
    if (problem !== undefined) return nameInput.current?.focus()
    if (idleStop.problem !== undefined) return idleInput.current?.focus()
    const chosen = name === '' ? defaultWorkspaceName(slug, (count) => crypto.getRandomValues(new Uint8Array(count))) : name
    const id = create(template, chosen, idleStop.minutes === undefined ? {} : { idleStopMinutes: idleStop.minutes })
    begun.current.add(id)
    setStarted(id)
  }

  const start = (template: TemplateSummary, detail: TemplateDetail | undefined): void =>
    begin(
      {
        id: template.id,
        name: template.name,
        ...(template.icon === undefined ? {} : { icon: template.icon }),
        ...(template.iconImage === undefined ? {} : { iconImage: template.iconImage }),
        phases: templatePhases(detail)
      },
      template.id
    )

  const startFromRepository = (url: string, branch: string | undefined): void => {
    const slug = repositorySlug(url)
    const label = repositoryLabel(url)
    begin({ id: slug, name: branch === undefined ? label : `${label} (${branch})`, git: { url, ...(branch === undefined ? {} : { branch }) } }, slug)
  }

  const startFromFolder = (path: string, mount: boolean): void => {
    const slug = folderSlug(path)
    begin({ id: slug, name: mount ? `${path} (mounted)` : path, folder: { path, mount } }, slug)
  }

  return (
    // Escape leaves the form as it closes a sheet; a creation's panel has its own buttons, and an input method's
    // own use of Escape (while composing) comes first.
    <div
      className="page"
      onKeyDown={(event) => {
        if (event.key !== 'Escape' || event.defaultPrevented || event.nativeEvent.isComposing) return
        event.preventDefault()
        navigate('workspaces')
      }}
    >
      <header className="page__header">
        <button type="button" className="back-link" aria-keyshortcuts="Escape" title="Back to Workspaces (Esc)" onClick={() => navigate('workspaces')}>
          <Icon name="back" size={14} />
          Workspaces
        </button>
        <h1 className="page__title" tabIndex={-1}>
          New workspace
        </h1>
        <p className="page__lead">Start from a template, a repository or a folder on this machine: Sandlot puts the files into a fresh container, installs what it needs and starts its app.</p>
      </header>

      {(panel !== undefined || lines.length > 0) && (
        <div className="creations" aria-label="Creations" role="region">
          {panel && (
            <CreationPanel
              key={panel.id}
              creation={panel}
              focusOnMount
              onDismiss={() => {
                dismiss(panel.id)
                setStarted(undefined)
                focusName.current = true
              }}
            />
          )}
          {lines.map((creation) => (
            <CreationLine key={creation.id} creation={creation} onExpand={() => setStarted(creation.id)} onDismiss={() => dismiss(creation.id)} />
          ))}
        </div>
      )}

      {engine?.state === 'unreachable' && <EngineDownNotice engine={engine} consequence="New workspaces can be made once it answers." testId="engine-down" />}
      {imageMissing && engine?.state === 'connected' && (
        <p className="note" data-testid="image-note">
          <Icon name="pending" size={14} />
          The first workspace builds Sandlot’s core image first: a few minutes, once.
        </p>
      )}

      <section className="card field-card new-ws-options">
        <div className="new-ws-options__name">
          <label className="field__label" htmlFor={nameId}>
            Name <span className="field__optional">optional</span>
          </label>
          <input
            id={nameId}
            ref={nameInput}
            className="field__input mono"
            value={name}
            placeholder="my-app"
            autoComplete="off"
            spellCheck={false}
            maxLength={63}
            aria-invalid={problem !== undefined}
            aria-describedby={`${nameId}-help`}
            onChange={(event) => setName(event.target.value)}
          />
          <p id={`${nameId}-help`} className={problem ? 'field__help field__help--error' : 'field__help'} data-testid="name-help">
            {/* Every prefix of a valid name is valid: checking while typing never scolds a name half-typed. */}
            {problem ? (
              <>
                <Icon name="alert" size={13} />
                {problem}
              </>
            ) : (
              <span>
                Lowercase letters, digits and dashes. Left empty, it is named after its template, repository or folder, such as <span className="nowrap">shell-3fa9c2</span>.
              </span>
            )}
          </p>
        </div>
        <IdleStopField
          choice={idleChoice}
          minutes={idleMinutes}
          {...(idleStop.problem === undefined ? {} : { problem: idleStop.problem })}
          {...(settingMinutes === undefined ? {} : { settingMinutes })}
          onChoice={chooseIdle}
          onMinutes={setIdleMinutes}
          minutesRef={idleInput}
        />
      </section>

      {/* One click makes a workspace of a template: they come before the forms that need typing. */}
      <section aria-labelledby="templates-heading" className="templates">
        <h2 className="section-title" id="templates-heading">
          Templates
        </h2>
        {error && <ErrorDetails error={error} title="The templates could not be read." />}
        {templates === undefined && !error && (
          <div className="template-grid" aria-busy="true">
            {[0, 1, 2].map((index) => (
              <div className="card template-card template-card--loading" key={index}>
                <div className="skeleton skeleton--tile" />
                <div className="skeleton skeleton--title" />
                <div className="skeleton skeleton--line skeleton--short" />
              </div>
            ))}
          </div>
        )}
        {templates?.length === 0 && (
          <p className="empty-note">
            <HintText text="No templates found. Add a folder as a template with `sandlot templates add FOLDER`." />
          </p>
        )}
        {templates && templates.length > 0 && (
          <ul className="template-grid">
            {sortTemplates(templates).map((template) => (
              <li key={template.id}>
                <TemplateCard
                  template={template}
                  detail={details[template.id]}
                  engineDown={engine?.state === 'unreachable'}
                  onCreate={() => start(template, details[template.id])}
                />
              </li>
            ))}
          </ul>
        )}
      </section>

      <RepositoryForm disabled={engine?.state === 'unreachable'} onCreate={startFromRepository} />
      <FolderForm disabled={engine?.state === 'unreachable'} onCreate={startFromFolder} />
    </div>
  )
}

/**
 * A template as a button. An unusable one (a broken template, no engine) stays focusable (aria-disabled), so its
 * description, which says why, is still read out.
 */
function TemplateCard({ template, detail, engineDown, onCreate }: { template: TemplateSummary; detail?: TemplateDetail; engineDown: boolean; onCreate: () => void }) {
  const broken = template.problem !== undefined
  const unavailable = engineDown || broken
  return (
    <button
      type="button"
      className="card template-card"
      aria-disabled={unavailable}
      onClick={() => {
        if (!unavailable) onCreate()
      }}
      data-testid="template-card"
      data-template={template.id}
      aria-label={`Create a workspace from ${template.name}`}
      aria-describedby={`template-${template.id}-description`}
    >
      <span className="template-card__head">
        <TemplateIcon template={template} />
        <span className="template-card__name">{template.name}</span>
        <span className="template-card__go" aria-hidden="true">
          <Icon name="plus" size={14} />
        </span>
      </span>
      <span className="template-card__description" id={`template-${template.id}-description`}>
        {broken ? <span className="template-card__problem">{template.problem}</span> : template.description || 'No description.'}
      </span>
      <span className="template-card__facts">
        {templateFacts(template, detail).map((fact) => (
          <span className="chip" key={fact}>
            {fact}
          </span>
        ))}
      </span>
    </button>
  )
}

/** Whether the core image still has to be built: the first create then takes minutes, which the page says up front. */
function useImageMissing(engineConnected: boolean, askAgain: unknown): boolean {
  const [missing, setMissing] = useState(false)
  useCallWhileOpen(
    (bridge) => bridge.call('image.status', {}),
    (status) => setMissing(!status.present),
    { enabled: engineConnected, key: askAgain }
  )
  return missing
}
