import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { prewarmLessons } from './components/lessons/prewarm';
import { startPresenterSync } from './components/presenter/presenterStore';
import { EMBED } from './embed/params';
import { startLessonSync } from './lessons/lessonStore';
import { startAppUpdates } from './state/appUpdate';
import { startCompareSync } from './state/compareSync';
import { startPersistence } from './state/persistence';
import { startPredictSync } from './state/predictSlice';
import { startTrainer } from './state/trainerSync';
import { RunBuffersContext } from './trainer/runBuffers';
import './styles/base.css';
import './styles/controls.css';
import './styles/panels.css';
import './styles/topbar.css';
import './styles/charts.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
// Config first (from the link or local storage), then the worker gets that config.
startPersistence();
startLessonSync();
startPredictSync();
startPresenterSync();
prewarmLessons();
startCompareSync();
const trainer = startTrainer();
// the embed's postMessage API loads only in an embed (?embed=1)
if (EMBED.embed) void import('./embed/embedApi').then((m) => m.startEmbed(trainer.buffers));
createRoot(root).render(
  <StrictMode>
    <RunBuffersContext.Provider value={trainer.buffers}>
      <App />
    </RunBuffersContext.Provider>
  </StrictMode>,
);
// After the first screen: the service worker that caches the rest for offline use.
startAppUpdates();
