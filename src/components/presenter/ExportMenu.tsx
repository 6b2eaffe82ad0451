// Export and import for the playground: the config as JSON (and import of one, validated by the
// schema with a notice per bad field), the metrics of all runs as CSV or JSON, the trained
// weights as JSON, and "Continue in PyTorch". The menu is on the first screen; what its items do
// (exportActions.ts, with the PyTorch writer) loads when the menu is first opened.
import { useRef, useState } from 'react';
import { useStore } from '../../state/store';
import { useRunBuffers } from '../../trainer/runBuffers';

type Actions = typeof import('./exportActions');
const loadActions = (): Promise<Actions> => import('./exportActions');
const say = (message: string) => useStore.setState({ notices: [{ path: 'export', message }], noticeSource: 'file' });

export function ExportMenu() {
  const buffers = useRunBuffers();
  const [open, setOpen] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const item = (label: string, testId: string, run: (a: Actions) => void | Promise<void>) => (
    <button
      key={testId}
      type="button"
      role="menuitem"
      data-testid={testId}
      onClick={() => {
        setOpen(false);
        void loadActions().then(run, () => say('the export code could not be loaded (offline?): reload the page'));
      }}
    >
      {label}
    </button>
  );
  return (
    <div className="export-menu">
      <button
        type="button"
        className="btn"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => {
          if (!open) void loadActions().catch(() => {}); // fetched while the user picks an item
          setOpen(!open);
        }}
        data-testid="export-menu"
      >
        Export ▾
      </button>
      {open && (
        <div role="menu" className="menu">
          {item('Config (JSON)', 'export-config', (a) => a.exportConfig())}
          {item('Import config…', 'import-config', () => input.current?.click())}
          {item('Metrics of all runs (CSV)', 'export-csv', (a) => a.exportMetricsCsv(buffers))}
          {item('Metrics of all runs (JSON)', 'export-json', (a) => a.exportMetricsJson(buffers))}
          {item('Trained weights (JSON)', 'export-weights', (a) => a.exportWeights(buffers))}
          {item('Continue in PyTorch (.py)', 'export-pytorch', (a) => a.exportPytorch())}
        </div>
      )}
      <input
        ref={input}
        type="file"
        accept="application/json,.json"
        hidden
        data-testid="import-file"
        onChange={(e) => {
          const f = e.currentTarget.files?.[0];
          if (f) void loadActions().then((a) => a.importConfigFile(f));
          e.currentTarget.value = '';
        }}
      />
    </div>
  );
}
