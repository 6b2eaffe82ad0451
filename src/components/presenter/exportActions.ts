// The export menu's actions (ExportMenu.tsx): loaded on the first use of the menu, not with the
// first screen (issue 16 §4). All made in the page: no network.
import { configFromJson, configToJson } from '../../export/configFile';
import { downloadText, slug } from '../../export/download';
import { type MetricsRun, metricsCsv, metricsJson, seriesColumns } from '../../export/metrics';
import { pytorchFileName, pytorchScript } from '../../export/pytorch';
import { weightsFile } from '../../export/weights';
import { loadConfig } from '../../state/actions';
import { useStore } from '../../state/store';
import type { RunBuffers } from '../../trainer/runBuffers';

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

export async function exportWeights(bridge: RunBuffers | null): Promise<void> {
  const { setup, config } = useStore.getState();
  const theta = await bridge?.getParams(0);
  if (!setup || !theta) {
    say('no trained network yet: press play first');
    return;
  }
  const file = weightsFile(config, setup.dataset.inputDim, setup.dataset.outputDim, theta);
  downloadText(`${JSON.stringify(file)}\n`, `descent-weights-${slug(config.data.name)}.json`, 'application/json');
}

export function exportPytorch(): void {
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

export function exportConfig(): void {
  const cfg = useStore.getState().config;
  downloadText(configToJson(cfg), `descent-config-${slug(cfg.data.name)}.json`, 'application/json');
}

export const exportMetricsCsv = (bridge: RunBuffers | null) =>
  downloadText(metricsCsv(runMetrics(bridge)), 'descent-metrics.csv', 'text/csv');
export const exportMetricsJson = (bridge: RunBuffers | null) =>
  downloadText(metricsJson(runMetrics(bridge)), 'descent-metrics.json', 'application/json');
