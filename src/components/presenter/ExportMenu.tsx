// Export and import for the playground: the config as JSON (and import of one, validated by the
// schema with a notice per bad field), the metrics of all runs as CSV or JSON, the trained
// weights as JSON, and "Continue in PyTorch". All made in the page: no network.
import { useRef, useState } from 'react';
import { configFromJson, configToJson } from '../../export/configFile';
import { downloadText, slug } from '../../export/download';
import { type MetricsRun, metricsCsv, metricsJson, seriesColumns } from '../../export/metrics';
import { pytorchFileName, pytorchScript } from '../../export/pytorch';
import { weightsFile } from '../../export/weights';
import { loadConfig } from '../../state/actions';
import { useStore } from '../../state/store';
import { type RunBuffers, useRunBuffers } from '../../trainer/runBuffers';

function runMetrics(bridge: RunBuffers | null): MetricsRun[] {
  if (!bridge) return [];
  const configs = bridge.getState().configs;
  return bridge.metrics.runs.flatMap((h, i) =>
    h
      ? [
          {
            label: `run ${i + 1}: ${configs[i]?.optimizer.name ?? ''}`,
            steps: seriesColumns(h.steps),
            epochs: seriesColumns(h.epochs),
          },
        ]
      : [],
  );
}

const say = (message: string) => useStore.setState({ notices: [{ path: 'export', message }], noticeSource: 'file' });

async function exportWeights(bridge: RunBuffers | null): Promise<void> {
  const { setup, config } = useStore.getState();
  const theta = await bridge?.getParams(0);
  if (!setup || !theta) {
    say('no trained network yet: press play first');
    return;
  }
  const file = weightsFile(config, setup.dataset.inputDim, setup.dataset.outputDim, theta);
  downloadText(`${JSON.stringify(file)}\n`, `descent-weights-${slug(config.data.name)}.json`, 'application/json');
}

function exportPytorch(): void {
  const { setup, config } = useStore.getState();
  if (!setup) {
    say('the data is not ready yet');
    return;
  }
  const d = setup.dataset;
  try {
    // The page holds every row of 2D and regression sets; of an image set only the rows it shows,
    // and pytorchScript then refuses, naming the field, rather than writing a script that cannot load.
    const script = pytorchScript(config, { ...d, xTrainRaw: d.xTrain, xValRaw: d.xVal, image: d.image ?? undefined });
    downloadText(script, pytorchFileName(config), 'text/x-python');
  } catch (e) {
    say(`PyTorch script not written: ${(e as Error).message}`);
  }
}

export async function importConfigFile(file: File): Promise<void> {
  const r = configFromJson(await file.text());
  if (!r.ok) {
    say(`${file.name}: ${r.message}; the config was not changed`);
    return;
  }
  loadConfig(r.config, r.notices, 'file');
}

export function ExportMenu() {
  const buffers = useRunBuffers();
  const [open, setOpen] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const item = (label: string, testId: string, run: () => void | Promise<void>) => (
    <button
      key={testId}
      type="button"
      role="menuitem"
      data-testid={testId}
      onClick={() => {
        setOpen(false);
        void run();
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
        onClick={() => setOpen(!open)}
        data-testid="export-menu"
      >
        Export ▾
      </button>
      {open && (
        <div role="menu" className="menu">
          {item('Config (JSON)', 'export-config', () => {
            const cfg = useStore.getState().config;
            downloadText(configToJson(cfg), `descent-config-${slug(cfg.data.name)}.json`, 'application/json');
          })}
          {item('Import config…', 'import-config', () => input.current?.click())}
          {item('Metrics of all runs (CSV)', 'export-csv', () =>
            downloadText(metricsCsv(runMetrics(buffers)), 'descent-metrics.csv', 'text/csv'),
          )}
          {item('Metrics of all runs (JSON)', 'export-json', () =>
            downloadText(metricsJson(runMetrics(buffers)), 'descent-metrics.json', 'application/json'),
          )}
          {item('Trained weights (JSON)', 'export-weights', () => exportWeights(buffers))}
          {item('Continue in PyTorch (.py)', 'export-pytorch', exportPytorch)}
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
          if (f) void importConfigFile(f);
          e.currentTarget.value = '';
        }}
      />
    </div>
  );
}
