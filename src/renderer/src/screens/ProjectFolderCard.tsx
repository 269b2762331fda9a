import { useState } from 'react'
import type { ProjectFolderCheck } from '../../../shared/projectFolder'
import { Card } from '../components/Field'
import { updateConfig } from '../store/actions'
import { useWorkbench } from '../store/useWorkbench'
import { run } from '../store/workbenchApi'

/** Where the widgets come from: the samples or a project folder, checked before it is served. */
export function ProjectFolderCard() {
  const projectDir = useWorkbench((s) => s.app!.config.projectDir)
  const pushToast = useWorkbench((s) => s.pushToast)
  const [open, setOpen] = useState(false)
  const [path, setPath] = useState(projectDir ?? '')
  const [check, setCheck] = useState<ProjectFolderCheck | null>(null)
  const [busy, setBusy] = useState(false)
  const serve = async (): Promise<void> => {
    setBusy(true)
    const result = await run('widget:checkFolder', [path.trim()], {
      title: 'Could not check the folder',
    })
    setCheck(result)
    if (result?.ok && (await updateConfig({ projectDir: result.path }, 'the widget folder'))) {
      pushToast({
        kind: 'success',
        title: `Serving widgets from ${result.path}`,
        detail: result.message,
      })
      setOpen(false)
      setCheck(null)
    }
    setBusy(false)
  }
  const useSamples = (): void => {
    void updateConfig({ projectDir: null }, 'the widget folder').then((ok) => ok && setPath(''))
  }
  const reason = path.trim() === '' ? 'Enter the folder path first' : busy ? 'Checking…' : null
  return (
    <Card
      title="Widget folder"
      actions={
        <>
          {projectDir && (
            <button type="button" className="button button-small button-ghost" onClick={useSamples}>
              Serve the samples
            </button>
          )}
          <button
            type="button"
            className="button button-small"
            aria-expanded={open}
            onClick={() => setOpen(!open)}
          >
            Serve widgets from a folder…
          </button>
        </>
      }
    >
      <p className="muted small">
        Serving {projectDir ? <code>{projectDir}</code> : 'the sample widgets'}. A project folder
        has one sub-folder per widget (<code>widget.json</code>, <code>template.html</code>,{' '}
        <code>handler.js</code>); it is hot-reloaded.
      </p>
      {open && (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault()
            if (!reason) void serve()
          }}
        >
          <input
            className="mono"
            aria-label="Widget folder path"
            placeholder="/home/you/my-widgets"
            spellCheck={false}
            value={path}
            onChange={(e) => {
              setPath(e.target.value)
              setCheck(null)
            }}
          />
          <button
            type="submit"
            className="button button-primary"
            disabled={reason !== null}
            title={reason ?? undefined}
          >
            {busy ? 'Checking…' : 'Check and serve'}
          </button>
        </form>
      )}
      {open && check && !check.ok && (
        <p className="field-error" role="alert">
          {check.message}
        </p>
      )}
    </Card>
  )
}
