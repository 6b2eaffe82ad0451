// The page: a top bar (title, play controls, status), notices, the control sidebar and the views.
import { useEffect } from 'react';
import { AccuracyChart } from './components/charts/AccuracyChart';
import { BoundaryView } from './components/charts/BoundaryView';
import { DigitsView } from './components/charts/DigitsView';
import { HistogramChart } from './components/charts/HistogramChart';
import { GradNormChart, UpdateRatioChart } from './components/charts/LayerCharts';
import { LossChart } from './components/charts/LossChart';
import { NetworkDiagram } from './components/charts/NetworkDiagram';
import { ViewTabs } from './components/compare/ViewTabs';
import { DataPanel } from './components/controls/DataPanel';
import { NetworkBuilder } from './components/controls/NetworkBuilder';
import { OptimizerPanel } from './components/controls/OptimizerPanel';
import { EarlyStopPanel, SchedulePanel } from './components/controls/SchedulePanel';
import { RegularizationPanel, TrainingPanel } from './components/controls/TrainingPanel';
import { KeptRunsPanel } from './components/KeptRunsPanel';
import { lazyNamed, OnDemand } from './components/Lazy';
import { Notices } from './components/Notices';
import { PlayBar, StatusLine, ThemeToggle, useShortcuts } from './components/PlayBar';
import { ClassroomBar, PanelToggles } from './components/presenter/ClassroomBar';
import { ClassroomOverlays } from './components/presenter/ClassroomOverlays';
import { UpdateBanner } from './components/UpdateBanner';
import { EMBED } from './embed/embedApi';
import { useLessonStore } from './lessons/lessonStore';
import { useCompare } from './state/compareSlice';
import { useStore } from './state/store';

// Not on the first screen: loaded when opened (issue 16 §4, the first screen's JavaScript budget).
const LessonsPanel = lazyNamed(() => import('./components/lessons/LessonsPanel'), 'LessonsPanel');
const ArenaView = lazyNamed(() => import('./components/arena/ArenaView'), 'ArenaView');
const CompareView = lazyNamed(() => import('./components/compare/CompareView'), 'CompareView');
// The trajectory view sits below the fold and brings the arena's contour colours.
const TrajectoryView = lazyNamed(() => import('./components/trajectory/TrajectoryView'), 'TrajectoryView');

function Views() {
  const setup = useStore((s) => s.setup);
  const hidden = useStore((s) => s.ui.hidden);
  const show = (panel: string) => !hidden.includes(panel);
  const image = setup?.dataset.image != null;
  const classification = setup?.dataset.kind !== 'regression';
  return (
    <main className="views" aria-label="Training views">
      <div className="column">
        {show('boundary') && (image ? <DigitsView /> : <BoundaryView />)}
        {show('network') && <NetworkDiagram />}
        {show('histograms') && <HistogramChart />}
      </div>
      <div className="column">
        {show('loss') && <LossChart />}
        <div className="chart-pair">
          {show('accuracy') && classification && <AccuracyChart />}
          {show('ratio') && <UpdateRatioChart />}
        </div>
        {show('gradients') && <GradNormChart />}
        {show('trajectory') && (
          <OnDemand what="the trajectory view">
            <TrajectoryView />
          </OnDemand>
        )}
      </div>
    </main>
  );
}

export function App() {
  const theme = useStore((s) => s.ui.theme);
  const view = useCompare((s) => s.view);
  const lessonsOpen = useLessonStore((s) => s.open);
  const showControls = useStore((s) => !s.ui.hidden.includes('controls'));
  // The play bar belongs to the views that show the trainer's runs (not the arena, not a lesson,
  // which has its own demo): there, and only there, it and its keys are live.
  const runControls = view !== 'arena' && !lessonsOpen;
  useShortcuts(runControls);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  // Embedded in a slide or course page (?embed=1, docs/embed.md): the run's controls and the chosen panels only.
  if (EMBED.embed) {
    return (
      <div className="app embed" data-runbar="">
        <header className="topbar">
          <div className="topbar-row runbar">
            <PlayBar />
            <StatusLine />
          </div>
        </header>
        <Notices />
        <Views />
      </div>
    );
  }
  return (
    <div className="app" data-runbar={runControls ? '' : undefined}>
      {/* Two rows: navigation and classroom tools, then the run's controls and status. */}
      <header className="topbar">
        <div className="topbar-row">
          <div className="brand">
            <h1>Descent</h1>
            <p>train a neural network, live</p>
          </div>
          <ViewTabs />
          <span className="spacer" />
          <ThemeToggle />
          <ClassroomBar />
        </div>
        {runControls && (
          <div className="topbar-row runbar">
            <PlayBar />
            <StatusLine />
          </div>
        )}
      </header>
      <UpdateBanner />
      <Notices />
      <PanelToggles />
      <ClassroomOverlays />
      {lessonsOpen ? (
        <OnDemand what="the lessons">
          <LessonsPanel />
        </OnDemand>
      ) : view === 'arena' ? (
        <OnDemand what="the arena">
          <ArenaView />
        </OnDemand>
      ) : (
        <div className="workspace">
          {showControls && (
            <aside className="sidebar" aria-label="Configuration">
              <DataPanel />
              <NetworkBuilder />
              {view !== 'compare' && <OptimizerPanel />}
              <SchedulePanel />
              <RegularizationPanel />
              <EarlyStopPanel />
              <TrainingPanel />
              <KeptRunsPanel />
            </aside>
          )}
          {view === 'compare' ? (
            <OnDemand what="the comparison">
              <CompareView />
            </OnDemand>
          ) : (
            <Views />
          )}
        </div>
      )}
    </div>
  );
}
