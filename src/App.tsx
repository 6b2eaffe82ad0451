// The page: a top bar (title, play controls, status), notices, the control sidebar and the views.
import { useEffect } from 'react';
import { ViewTabs } from './components/compare/ViewTabs';
import { DataPanel } from './components/controls/DataPanel';
import { NetworkBuilder } from './components/controls/NetworkBuilder';
import { OptimizerPanel } from './components/controls/OptimizerPanel';
import { EarlyStopPanel, SchedulePanel } from './components/controls/SchedulePanel';
import { RegularizationPanel, TrainingPanel } from './components/controls/TrainingPanel';
import { lazyNamed, OnDemand } from './components/Lazy';
import { Notices } from './components/Notices';
import { PlayBar, StatusLine, ThemeToggle, useShortcuts } from './components/PlayBar';
import { CONTROLS, columnLayout, isShown, type PanelSpec, panelContext } from './components/panels';
import { ClassroomBar, PanelToggles } from './components/presenter/ClassroomBar';
import { ClassroomOverlays } from './components/presenter/ClassroomOverlays';
import { UpdateBanner } from './components/UpdateBanner';
import { EMBED } from './embed/params';
import { useLessonStore } from './lessons/lessonStore';
import { useCompare } from './state/compareSlice';
import { useStore } from './state/store';

function Panel({ spec }: { spec: PanelSpec }) {
  const C = spec.component;
  return C ? <C /> : null;
}

// Not on the first screen: loaded when opened (issue 16 §4, the first screen's JavaScript budget).
const LessonsPanel = lazyNamed(() => import('./components/lessons/LessonsPanel'), 'LessonsPanel');
const ArenaView = lazyNamed(() => import('./components/arena/ArenaView'), 'ArenaView');
const KeptRunsPanel = lazyNamed(() => import('./components/KeptRunsPanel'), 'KeptRunsPanel');
const CompareView = lazyNamed(() => import('./components/compare/CompareView'), 'CompareView');
// Only when the link asks a question (`ask=`, predict then run).
const PlaygroundQuestion = lazyNamed(() => import('./components/predict/PlaygroundQuestion'), 'PlaygroundQuestion');
const SweepView = lazyNamed(() => import('./components/sweep/SweepView'), 'SweepView');

/** The two columns of views, laid out from the panel list (components/panels.tsx). */
function Views() {
  const setup = useStore((s) => s.setup);
  const hidden = useStore((s) => s.ui.hidden);
  const ctx = panelContext(setup);
  const column = (c: 'left' | 'right') =>
    columnLayout(c).map((item) =>
      Array.isArray(item) ? (
        <div className="chart-pair" key={item.map((p) => p.id).join('+')}>
          {item.map((p) => isShown(p, hidden, ctx) && <Panel key={p.id} spec={p} />)}
        </div>
      ) : (
        isShown(item, hidden, ctx) && <Panel key={item.id} spec={item} />
      ),
    );
  return (
    <main className="views" aria-label="Training views">
      <div className="column">{column('left')}</div>
      <div className="column">{column('right')}</div>
    </main>
  );
}

export function App() {
  const theme = useStore((s) => s.ui.theme);
  const view = useCompare((s) => s.view);
  const lessonsOpen = useLessonStore((s) => s.open);
  const showControls = useStore((s) => !s.ui.hidden.includes(CONTROLS.id));
  const asks = useStore((s) => s.predict.ask !== null);
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
        {asks && (
          <OnDemand what="the question">
            <PlaygroundQuestion />
          </OnDemand>
        )}
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
        <>
          {asks && (
            <div className="predict-slot">
              <OnDemand what="the question">
                <PlaygroundQuestion />
              </OnDemand>
            </div>
          )}
          <div className="workspace">
            {showControls && (
              <aside className="sidebar" aria-label="Configuration">
                <DataPanel />
                <NetworkBuilder />
                {view === 'train' && <OptimizerPanel />}
                <SchedulePanel />
                <RegularizationPanel />
                <EarlyStopPanel />
                <TrainingPanel />
                <OnDemand what="the kept runs">
                  <KeptRunsPanel />
                </OnDemand>
              </aside>
            )}
            {view === 'compare' ? (
              <OnDemand what="the comparison">
                <CompareView />
              </OnDemand>
            ) : view === 'sweep' ? (
              <OnDemand what="the sweep">
                <SweepView />
              </OnDemand>
            ) : (
              <Views />
            )}
          </div>
        </>
      )}
    </div>
  );
}
