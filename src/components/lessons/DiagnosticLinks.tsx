// A lesson's links to the playground diagnostics it is about: each opens the demo config that
// triggers the diagnostic (engine/diagnosticDemos.ts) in the playground, whose Diagnostics panel
// then says it in words.
import { encodeHash } from '../../config/urlHash';
import { DEMO_STEPS, diagnosticDemos } from '../../engine/diagnosticDemos';
import type { DiagnosticKind } from '../../engine/diagnostics';
import { closeLessons } from '../../lessons/lessonStore';

const NAMES: Record<DiagnosticKind, string> = {
  dead: 'dead ReLUs',
  saturated: 'saturated units',
  vanishing: 'vanishing gradients',
  exploding: 'exploding gradients',
  'ratio-low': 'updates far below 1e-3',
  'ratio-high': 'updates far above 1e-3',
};

export function DiagnosticLinks({ kinds }: { kinds: readonly DiagnosticKind[] }) {
  const demos = diagnosticDemos().filter((d) => kinds.includes(d.kind));
  return (
    <>
      <h3>See it diagnosed in the playground</h3>
      <ul className="lesson-watch" data-testid="lesson-diagnostics">
        {demos.map((d) => (
          <li key={d.kind}>
            <a href={`#${encodeHash(d.triggers)}`} data-kind={d.kind} onClick={() => closeLessons()}>
              {NAMES[d.kind]}
            </a>
            : {d.what} (train {DEMO_STEPS} steps, then read the Diagnostics panel).
          </li>
        ))}
      </ul>
    </>
  );
}
