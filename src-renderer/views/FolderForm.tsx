import { useId, useState, type DragEvent } from 'react'
import { useBridge } from '../app/bridge-context'
import { Icon } from '../components/Icon'
import { folderProblem } from './folder-model'

/**
 * "Folder on this machine": a host path, typed, picked or (in the desktop app) dropped, copied into the workspace
 * or mounted at /app. A browser cannot give a host path, so there only the typed one.
 */
export function FolderForm({ disabled, onCreate }: { disabled: boolean; onCreate: (folder: string, mount: boolean) => void }) {
  const hostFolders = useBridge().hostFolders
  const [folder, setFolder] = useState('')
  const [mount, setMount] = useState(false)
  const [dragging, setDragging] = useState(false)
  const [pickFailed, setPickFailed] = useState<string>()
  const id = useId()
  const typed = folder.trim()
  const problem = folderProblem(typed) ?? pickFailed
  const ready = typed !== '' && problem === undefined && !disabled

  const drop = hostFolders && {
    onDragOver: (event: DragEvent) => {
      if (!event.dataTransfer.types.includes('Files')) return
      event.preventDefault()
      setDragging(true)
    },
    onDragLeave: () => setDragging(false),
    onDrop: (event: DragEvent) => {
      event.preventDefault()
      setDragging(false)
      const file = event.dataTransfer.files[0]
      const path = file === undefined ? undefined : hostFolders.pathOf(file)
      if (path !== undefined) setFolder(path)
    }
  }

  return (
    <section className={dragging ? 'card field-card folder-form folder-form--dragging' : 'card field-card folder-form'} aria-labelledby={`${id}-heading`} {...drop}>
      <form
        onSubmit={(event) => {
          event.preventDefault()
          if (ready) onCreate(typed, mount)
        }}
      >
        <h2 className="section-title" id={`${id}-heading`}>
          Folder on this machine
        </h2>
        <label className="field__label" htmlFor={`${id}-path`}>
          Folder
        </label>
        <div className="folder-form__row">
          <input
            id={`${id}-path`}
            className="field__input mono"
            value={folder}
            placeholder="/home/me/projects/site"
            autoComplete="off"
            spellCheck={false}
            aria-invalid={problem !== undefined}
            aria-describedby={`${id}-help`}
            data-testid="folder-path"
            onChange={(event) => {
              setFolder(event.target.value)
              setPickFailed(undefined)
            }}
          />
          {hostFolders && (
            <button
              type="button"
              className="button"
              data-testid="folder-choose"
              onClick={() => {
                setPickFailed(undefined)
                hostFolders.choose().then(
                  (chosen) => chosen !== undefined && setFolder(chosen),
                  (err: unknown) => setPickFailed(`The folder picker did not open (${err instanceof Error ? err.message : String(err)}): type the path instead.`)
                )
              }}
            >
              Choose…
            </button>
          )}
        </div>
        <label className="folder-form__mount">
          <input type="checkbox" checked={mount} onChange={(event) => setMount(event.target.checked)} data-testid="folder-mount" />
          Mount it (edits on either side are the same files)
        </label>
        <p id={`${id}-help`} className={problem ? 'field__help field__help--error' : 'field__help'} data-testid="folder-help">
          {problem ? (
            <>
              <Icon name="alert" size={13} />
              {problem}
            </>
          ) : (
            `A full path on the machine Sandlot runs on${hostFolders ? ' (or drop the folder here)' : ''}. Copied in as a snapshot; mounted, it is shared with the workspace (local engines only).`
          )}
        </p>
        <button type="submit" className="button button--primary" disabled={!ready} data-testid="folder-create">
          Create from folder
        </button>
      </form>
    </section>
  )
}
