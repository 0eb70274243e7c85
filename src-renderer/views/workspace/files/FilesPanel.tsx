import '../../../styles/files.css'
import { useMemo, useRef, useState } from 'react'
import { formatBytes } from '../../../../src-main/core/text/format-bytes'
import { callError, type CallError } from '../../../bridge/bridge'
import { useBridge } from '../../../app/bridge-context'
import { ConfirmDialog } from '../../../components/ConfirmDialog'
import { ErrorDetails } from '../../../components/ErrorDetails'
import { Icon } from '../../../components/Icon'
import { bytesToBase64, uploadProblem } from './file-content'
import { entryAt, ROOT, treeRows, type TreeRow } from './file-tree-model'
import { FileTreeView } from './FileTreeView'
import { FileViewer } from './FileViewer'
import { useFileTree } from './use-file-tree'

interface Upload {
  files: File[]
  folder: string
  /** Names already in the folder: written only once the user says to replace them. */
  replacing: string[]
}

/** /app of a running workspace: a tree to browse, a file shown read-only, downloads, and uploads by drop or picker. */
export function FilesPanel({ workspace }: { workspace: string }) {
  const bridge = useBridge()
  const tree = useFileTree(workspace)
  const rows = useMemo(() => treeRows(tree.state), [tree.state])
  const [selected, setSelected] = useState<TreeRow & { kind: 'entry' }>()
  const [pending, setPending] = useState<Upload>()
  const [busy, setBusy] = useState(false)
  const [status, setStatus] = useState('')
  const [failure, setFailure] = useState<{ title: string; error: CallError }>()
  const picker = useRef<HTMLInputElement>(null)

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
      <p className="files__status" role="status" data-testid="files-status">
        {status}
      </p>
      {failure && <ErrorDetails error={failure.error} title={failure.title} onDismiss={() => setFailure(undefined)} testId="files-error" />}
      <div className="files__body">
        <FileTreeView
          rows={rows}
          selected={selected?.id}
          onToggle={tree.toggle}
          onSelect={setSelected}
          onMore={tree.more}
          onDropFiles={offer}
          label={`Files of ${workspace} in /app; drop files on a folder to upload them`}
        />
        {opened ? (
          <FileViewer workspace={workspace} entry={opened} />
        ) : (
          <p className="files__hint">Choose a file to see it. Drop files on a folder (or use Upload…) to put them in the workspace; they are written as the app's user.</p>
        )}
      </div>
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
