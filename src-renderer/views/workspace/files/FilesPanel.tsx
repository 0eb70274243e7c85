import '../../../styles/files.css'
import { useEffect, useMemo, useRef, useState } from 'react'
import { formatBytes } from '../../../../src-main/core/text/format-bytes'
import { callError, type CallError } from '../../../bridge/bridge'
import { useBridge } from '../../../app/bridge-context'
import { useNavigate } from '../../../app/navigation-context'
import { isAppFile, workspaceFilePath } from '../../../app/route'
import { ConfirmDialog } from '../../../components/ConfirmDialog'
import { ErrorDetails } from '../../../components/ErrorDetails'
import { Icon } from '../../../components/Icon'
import { bytesToBase64, uploadProblem } from './file-content'
import { ancestorsOf, entryAt, entryNameProblem, isAtOrInside, namesIn, parentOf, ROOT, treeRows, type TreeRow } from './file-tree-model'
import { FileTreeView } from './FileTreeView'
import { FileViewer } from './FileViewer'
import { NameDialog } from './NameDialog'
import { useFileTree } from './use-file-tree'

interface Upload {
  files: File[]
  folder: string
  /** Names already in the folder: written only once the user says to replace them. */
  replacing: string[]
}

type EntryRow = TreeRow & { kind: 'entry' }

/** The name or confirmation being asked for: a new folder in `folder`, a new name for an entry, a removal. */
type Asking = { kind: 'mkdir'; folder: string } | { kind: 'rename'; row: EntryRow } | { kind: 'remove'; row: EntryRow }

/**
 * /app of a running workspace: a tree to browse, a file shown read-only, downloads, uploads by drop or picker, and
 * new folders, renames and removals (confirmed first).
 */
export function FilesPanel({ workspace, reveal }: { workspace: string; /** A file to show, its folders opened (a route's). */ reveal?: string }) {
  const bridge = useBridge()
  const navigate = useNavigate()
  const tree = useFileTree(workspace)
  const rows = useMemo(() => treeRows(tree.state), [tree.state])
  const [selected, setSelected] = useState<EntryRow>()
  const [asking, setAsking] = useState<Asking>()
  const [pending, setPending] = useState<Upload>()
  const [busy, setBusy] = useState(false)
  const [status, setStatus] = useState('')
  const [failure, setFailure] = useState<{ title: string; error: CallError }>()
  const picker = useRef<HTMLInputElement>(null)

  useReveal(reveal, rows, tree.refresh, setSelected)
  // A file chosen in the tree goes into the address: a reload or a shared link shows it, Back the one before.
  const choose = (row: EntryRow): void => {
    setSelected(row)
    if (!row.expandable && isAppFile(row.entry.path) && row.entry.path !== reveal) navigate(workspaceFilePath(workspace, row.entry.path))
  }

  const target = selected === undefined ? ROOT : selected.expandable ? selected.entry.path : selected.parent
  const opened = selected !== undefined && !selected.expandable ? (entryAt(tree.state, selected.entry.path) ?? selected.entry) : undefined

  const offer = (files: File[], folder: string): void => {
    setFailure(undefined)
    setStatus('')
    if (files.length === 0) return
    const problems = files.map((file) => uploadProblem(file, folder, workspace)).filter((p) => p !== undefined)
    if (problems.length > 0) {
      setFailure({ title: 'Nothing was uploaded.', error: { code: 'BAD_REQUEST', message: problems.join(' ') } })
      return
    }
    const there = new Set(tree.state.folders[folder]?.entries?.map((e) => e.name))
    const replacing = files.map((f) => f.name).filter((n) => there.has(n))
    const upload = { files, folder, replacing }
    if (replacing.length > 0) setPending(upload)
    else void write(upload)
  }

  const write = async ({ files, folder }: Upload): Promise<void> => {
    setPending(undefined)
    setBusy(true)
    const done: string[] = []
    try {
      for (const file of files) {
        const content = bytesToBase64(new Uint8Array(await file.arrayBuffer()))
        await bridge.call('files.write', { name: workspace, path: `${folder}/${file.name}`, content, encoding: 'base64' })
        done.push(`${file.name} (${formatBytes(file.size)})`)
      }
      setStatus(`Uploaded ${done.join(', ')} to ${folder}.`)
    } catch (err) {
      const failed = files[done.length]?.name ?? 'a file'
      setFailure({ title: `${failed} was not uploaded${done.length > 0 ? ` (${done.length} before it were)` : ''}.`, error: callError(err) })
    } finally {
      setBusy(false)
      await tree.refresh(folder)
    }
  }

  /** One change to /app, then the folder it touched listed again; a selection that went with it is let go. */
  const change = async (title: string, call: () => Promise<string>, folder: string, gone?: string): Promise<void> => {
    setAsking(undefined)
    setFailure(undefined)
    setStatus('')
    setBusy(true)
    try {
      setStatus(await call())
      if (gone !== undefined && selected !== undefined && isAtOrInside(selected.entry.path, gone)) setSelected(undefined)
    } catch (err) {
      setFailure({ title, error: callError(err) })
    } finally {
      setBusy(false)
      await tree.refresh(folder)
    }
  }

  const makeFolder = (folder: string, name: string): Promise<void> =>
    change(`${name} was not made.`, async () => `Made ${(await bridge.call('files.mkdir', { name: workspace, path: `${folder}/${name}` })).path}.`, folder)

  const rename = (row: EntryRow, name: string): Promise<void> =>
    change(
      `${row.entry.name} was not renamed.`,
      async () => {
        await bridge.call('files.move', { name: workspace, from: row.entry.path, to: `${row.parent}/${name}` })
        return `Renamed ${row.entry.name} to ${name}.`
      },
      row.parent,
      row.entry.path
    )

  const remove = (row: EntryRow): Promise<void> =>
    change(
      `${row.entry.name} was not deleted.`,
      async () => {
        await bridge.call('files.remove', { name: workspace, path: row.entry.path, ...(row.expandable ? { recursive: true } : {}) })
        return `Deleted ${row.entry.path}.`
      },
      row.parent,
      row.entry.path
    )

  const ask = (command: 'rename' | 'remove', row: EntryRow): void => setAsking({ kind: command, row })

  return (
    <div className="files" data-testid="files-panel">
      <div className="files__toolbar">
        <span className="files__target" data-testid="files-target">
          Upload to <span className="mono">{target}</span>
        </span>
        <button type="button" className="button button--small" onClick={() => picker.current?.click()} disabled={busy} data-testid="files-upload">
          <Icon name={busy ? 'spinner' : 'upload'} size={13} className={busy ? 'spin' : undefined} />
          Upload…
        </button>
        <button type="button" className="button button--small" onClick={() => setAsking({ kind: 'mkdir', folder: target })} disabled={busy} data-testid="files-mkdir">
          <Icon name="folder" size={13} />
          New folder…
        </button>
        <button
          type="button"
          className="button button--small"
          onClick={() => selected && ask('rename', selected)}
          disabled={busy || selected === undefined}
          title="F2 in the tree"
          data-testid="files-rename"
        >
          Rename…
        </button>
        <button
          type="button"
          className="button button--small"
          onClick={() => selected && ask('remove', selected)}
          disabled={busy || selected === undefined}
          title="Delete in the tree"
          data-testid="files-delete"
        >
          <Icon name="trash" size={13} />
          Delete…
        </button>
        <button type="button" className="button button--small" onClick={() => void tree.refresh()} data-testid="files-refresh">
          <Icon name="retry" size={13} />
          Refresh
        </button>
        <input
          ref={picker}
          type="file"
          multiple
          hidden
          data-testid="files-picker"
          onChange={(event) => {
            offer([...(event.target.files ?? [])], target)
            event.target.value = ''
          }}
        />
      </div>
      <p className="files__status" role="status" data-testid="files-status" title={status}>
        {status}
      </p>
      {failure && <ErrorDetails error={failure.error} title={failure.title} onDismiss={() => setFailure(undefined)} testId="files-error" />}
      <div className={opened ? 'files__body' : 'files__body files__body--idle'}>
        <FileTreeView
          rows={rows}
          selected={selected?.id}
          onToggle={tree.toggle}
          onSelect={choose}
          onMore={tree.more}
          onDropFiles={offer}
          onCommand={ask}
          label={`Files of ${workspace} in /app; drop files on a folder to upload them`}
        />
        {opened ? (
          <FileViewer workspace={workspace} entry={opened} />
        ) : (
          <p className="files__hint">Choose a file to see it. Drop files on a folder (or use Upload…) to put them in the workspace; they are written as the app's user.</p>
        )}
      </div>
      {asking?.kind === 'mkdir' && (
        <NameDialog
          title={`New folder in ${asking.folder}`}
          label="Folder name"
          initial=""
          confirmLabel="Make folder"
          problem={(name) => entryNameProblem(name, namesIn(tree.state, asking.folder))}
          onConfirm={(name) => void makeFolder(asking.folder, name)}
          onCancel={() => setAsking(undefined)}
        />
      )}
      {asking?.kind === 'rename' && (
        <NameDialog
          title={`Rename ${asking.row.entry.name}`}
          label="New name"
          initial={asking.row.entry.name}
          confirmLabel="Rename"
          problem={(name) => entryNameProblem(name, namesIn(tree.state, parentOf(asking.row.entry.path)))}
          onConfirm={(name) => void rename(asking.row, name)}
          onCancel={() => setAsking(undefined)}
        />
      )}
      {asking?.kind === 'remove' && (
        <ConfirmDialog title={`Delete ${asking.row.entry.name}?`} confirmLabel="Delete" onConfirm={() => void remove(asking.row)} onCancel={() => setAsking(undefined)}>
          <p>
            {asking.row.expandable ? `The folder ${asking.row.entry.path} and everything in it are` : `${asking.row.entry.path} is`} removed from the workspace; there is no undo.
          </p>
        </ConfirmDialog>
      )}
      {pending && (
        <ConfirmDialog title={`Replace ${pending.replacing.length === 1 ? pending.replacing[0] : `${pending.replacing.length} files`}?`} confirmLabel="Replace" onConfirm={() => void write(pending)} onCancel={() => setPending(undefined)}>
          <p>
            {pending.replacing.join(', ')} already {pending.replacing.length === 1 ? 'exists' : 'exist'} in {pending.folder}. Replacing overwrites {pending.replacing.length === 1 ? 'it' : 'them'}; there is no undo.
          </p>
        </ConfirmDialog>
      )}
    </div>
  )
}

/**
 * Shows `file` (the route's): lists its folders, outermost first, then selects it once its row is there, also when
 * its folder was listed already. A file that is not there leaves the tree as the folders show it.
 */
function useReveal(file: string | undefined, rows: readonly TreeRow[], refresh: (folder: string) => Promise<void>, select: (row: EntryRow) => void): void {
  const [wanted, setWanted] = useState<string>()
  useEffect(() => {
    setWanted(file)
    if (file === undefined) return
    let current = true
    void (async () => {
      for (const folder of ancestorsOf(file)) if (current) await refresh(folder)
    })()
    return () => {
      current = false
    }
  }, [file, refresh])
  useEffect(() => {
    if (wanted === undefined) return
    const row = rows.find((r): r is EntryRow => r.kind === 'entry' && r.entry.path === wanted)
    if (row === undefined) return
    setWanted(undefined)
    select(row)
  }, [rows, wanted, select])
}
