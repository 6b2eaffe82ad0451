// The playground's panels, listed once. The App lays them out from this list and the presenter's
// "Show" toggles (and the link's `hide=` names) read the same list, so a panel added here appears
// in both places; panels.test.ts checks that the two readers agree.
//
// To add a panel: write its component, add one entry below (id = the name in `hide=`, where = the
// column it goes in, when = a condition on the current setup, if any). Nothing else changes.
import type { ComponentType } from 'react';
import type { RunSetup } from '../../workers/protocol';
import { useStore } from '../state/store';
import { AccuracyChart } from './charts/AccuracyChart';
import { BoundaryView } from './charts/BoundaryView';
import { GradNormChart, UpdateRatioChart } from './charts/LayerCharts';
import { LossChart } from './charts/LossChart';
import { NetworkDiagram } from './charts/NetworkDiagram';
import { lazyNamed, OnDemand } from './Lazy';

/** What a panel's `when` may look at: the dataset of the current setup. */
export interface PanelContext {
  /** The dataset is images (digits): the boundary panel shows sample digits instead. */
  image: boolean;
  /** The dataset is a classification (accuracy is defined). */
  classification: boolean;
}

/**
 * Where a panel goes: the configuration sidebar, the left column, the right column, or the right
 * column's pair of small charts (consecutive 'pair' entries are drawn side by side, in list order).
 */
export type PanelPlace = 'sidebar' | 'left' | 'right' | 'pair';

export interface PanelSpec {
  /** The name in the link's `hide=` list and in ui.hidden. */
  id: string;
  /** The presenter's toggle label. */
  label: string;
  where: PanelPlace;
  /** The view; absent for the sidebar, which the App lays out itself (its parts depend on the view). */
  component?: ComponentType;
  /** Shown only when this holds (besides not being hidden); absent = always. */
  when?: (ctx: PanelContext) => boolean;
}

/** The boundary panel: the decision boundary, or sample digits with their predictions for images. */
function BoundaryPanel() {
  const image = useStore((s) => s.setup?.dataset.image != null);
  return image ? (
    <OnDemand what="the digits view">
      <LazyDigits />
    </OnDemand>
  ) : (
    <BoundaryView />
  );
}
// The digits grid only for the image set (a 2D set is what a first visit shows).
const LazyDigits = lazyNamed(() => import('./charts/DigitsView'), 'DigitsView');

// The trajectory view sits below the fold and brings the arena's contour colours: loaded on demand
// (issue 16 §4, the first screen's JavaScript budget).
const LazyTrajectory = lazyNamed(() => import('./trajectory/TrajectoryView'), 'TrajectoryView');
const LazyDiagnostics = lazyNamed(() => import('./charts/DiagnosticsPanel'), 'DiagnosticsPanel');
function DiagnosticsPanel() {
  return (
    <OnDemand what="the diagnostics">
      <LazyDiagnostics />
    </OnDemand>
  );
}
// The weight histograms sit below the fold at 1280x720 (first screen's JavaScript budget).
const LazyHistograms = lazyNamed(() => import('./charts/HistogramChart'), 'HistogramChart');
function HistogramChart() {
  return (
    <OnDemand what="the weight histograms">
      <LazyHistograms />
    </OnDemand>
  );
}
function TrajectoryPanel() {
  return (
    <OnDemand what="the trajectory view">
      <LazyTrajectory />
    </OnDemand>
  );
}

/** The configuration sidebar (the `h` key toggles it). */
export const CONTROLS: PanelSpec = { id: 'controls', label: 'Controls', where: 'sidebar' };

/** In order: the toggles list them in this order, and each column draws its panels in this order. */
export const PANELS: readonly PanelSpec[] = [
  CONTROLS,
  { id: 'boundary', label: 'Boundary', where: 'left', component: BoundaryPanel },
  { id: 'network', label: 'Network', where: 'left', component: NetworkDiagram },
  { id: 'histograms', label: 'Histograms', where: 'left', component: HistogramChart },
  { id: 'loss', label: 'Loss', where: 'right', component: LossChart },
  {
    id: 'accuracy',
    label: 'Accuracy',
    where: 'pair',
    component: AccuracyChart,
    when: (c) => c.classification,
  },
  { id: 'ratio', label: 'Update ratio', where: 'pair', component: UpdateRatioChart },
  { id: 'gradients', label: 'Gradients', where: 'right', component: GradNormChart },
  { id: 'diagnostics', label: 'Diagnostics', where: 'right', component: DiagnosticsPanel },
  { id: 'trajectory', label: 'Trajectory', where: 'right', component: TrajectoryPanel },
];

/** A panel is shown when the link does not hide it and its condition holds. */
export const isShown = (p: PanelSpec, hidden: readonly string[], ctx: PanelContext) =>
  !hidden.includes(p.id) && (p.when?.(ctx) ?? true);

/**
 * One column of the views, in list order: single panels, and runs of consecutive 'pair' panels as
 * one group (the group is kept even when all its panels are hidden, so the layout does not jump).
 */
export function columnLayout(column: 'left' | 'right'): (PanelSpec | PanelSpec[])[] {
  const out: (PanelSpec | PanelSpec[])[] = [];
  for (const p of PANELS) {
    if (p.where === column) out.push(p);
    else if (column === 'right' && p.where === 'pair') {
      const last = out[out.length - 1];
      if (Array.isArray(last)) last.push(p);
      else out.push([p]);
    }
  }
  return out;
}

/** The context of the current setup (before the first setup: a classification of points). */
export function panelContext(setup: RunSetup | null): PanelContext {
  return { image: setup?.dataset.image != null, classification: setup?.dataset.kind !== 'regression' };
}
