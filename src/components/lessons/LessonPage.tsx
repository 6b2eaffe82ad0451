// One lesson: the explanation, the formulas (KaTeX), what to watch for, the presets (each can
// be opened in the playground, exported as config JSON or continued in PyTorch), and the demo.

import { loadDigits } from '../../../workers/digits';
import { makeDataset } from '../../engine/data/dataset';
import { configToJson } from '../../export/configFile';
import { downloadText, slug } from '../../export/download';
import { pytorchScript } from '../../export/pytorch';
import { closeLessons, openLessons } from '../../lessons/lessonStore';
import { presetConfig } from '../../lessons/presetConfig';
import type { Lesson, LessonPreset } from '../../lessons/types';
import { loadConfig } from '../../state/actions';
import { LessonQuestion } from '../predict/LessonQuestion';
import { lessonResults } from '../predict/setup';
import { DiagnosticLinks } from './DiagnosticLinks';
import { LessonDemo } from './LessonDemo';
import { Tex } from './Tex';
import { useLessonDemo } from './useLessonDemo';

async function pytorchFor(lesson: Lesson, preset: LessonPreset): Promise<void> {
  const cfg = presetConfig(lesson, preset);
  const digits =
    cfg.data.name === 'digits' ? await loadDigits(new URL('./data/digits.bin', document.baseURI)) : undefined;
  const script = pytorchScript(cfg, makeDataset(cfg.data, cfg.seed, digits), {
    title: `${lesson.title}: ${preset.label}`,
  });
  downloadText(script, `descent_${slug(lesson.id)}_${slug(preset.id)}.py`, 'text/x-python');
}

export function LessonPage({ lesson }: { lesson: Lesson }) {
  const demo = useLessonDemo(lesson.id);
  return (
    <article className="lesson" data-testid="lesson-page" aria-labelledby="lesson-title">
      <nav className="lesson-nav">
        <button type="button" className="btn small" onClick={openLessons}>
          ← All lessons
        </button>
      </nav>
      <h2 id="lesson-title">
        <span className="lesson-number">{lesson.number}</span> {lesson.title}
      </h2>
      <div className="lesson-body">
        <div className="lesson-text">
          {lesson.text.map((t) => (
            <p key={t}>{t}</p>
          ))}
          <div className="lesson-formulas">
            {lesson.formulas.map((f) => (
              <Tex key={f} tex={f} />
            ))}
          </div>
          <h3>What to watch for</h3>
          <ul className="lesson-watch">
            {lesson.watch.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
          {lesson.diagnostics && <DiagnosticLinks kinds={lesson.diagnostics} />}
          <h3>Presets</h3>
          <ul className="lesson-presets">
            {lesson.presets.map((p) => (
              <li key={p.id}>
                <span className="swatch" style={{ borderColor: p.color }} /> {p.label}
                <span className="preset-actions">
                  <button
                    type="button"
                    className="btn small"
                    title="Load this preset into the playground to change it and train it live"
                    onClick={() => {
                      loadConfig(presetConfig(lesson, p), [], null);
                      closeLessons();
                    }}
                  >
                    Open in playground
                  </button>
                  <button
                    type="button"
                    className="btn small"
                    onClick={() =>
                      downloadText(
                        configToJson(presetConfig(lesson, p)),
                        `${slug(lesson.id)}-${slug(p.id)}.json`,
                        'application/json',
                      )
                    }
                  >
                    Config JSON
                  </button>
                  <button
                    type="button"
                    className="btn small"
                    title="A Python script that trains the same experiment in PyTorch"
                    onClick={() => void pytorchFor(lesson, p)}
                  >
                    PyTorch
                  </button>
                </span>
              </li>
            ))}
          </ul>
        </div>
        <div className="lesson-stage">
          {/* predict, then run: the demo's run control is locked until the question is answered */}
          <LessonQuestion key={lesson.id} lesson={lesson} results={lessonResults(demo.result)}>
            {(locked, describedBy) => (
              <div className="lesson-run">
                {demo.running ? (
                  <button type="button" className="btn" onClick={demo.stop}>
                    ❚❚ Stop
                  </button>
                ) : (
                  <button
                    type="button"
                    className="btn primary"
                    data-testid="run-demo"
                    onClick={demo.start}
                    disabled={locked}
                    aria-describedby={describedBy}
                  >
                    ▶ Run this demo
                  </button>
                )}
                <span className="muted">
                  {lesson.presets.length > 1 ? `${lesson.presets.length} runs side by side` : 'one run'},{' '}
                  {lesson.epochs} epochs, same data and initial weights
                </span>
              </div>
            )}
          </LessonQuestion>
          <LessonDemo lesson={lesson} demo={demo} />
        </div>
      </div>
    </article>
  );
}
