// The quadratic's closed forms beside the controls they are about: the condition number and axis
// rotation, and the selected racer's learning rate and momentum on sliders marked with the
// largest stable step 2/lmax, the best GD step 2/(lmin+lmax) and Polyak's heavy-ball optimum;
// one button per optimizer whose spec has a closed form (its best constant hyperparameters).

import { slotLabels } from '../../compare/compareSet';
import { quadraticCompanions } from '../../engine/arena';
import type { TestFunction } from '../../engine/data/testFunctions';
import { hyperDef } from '../../engine/optimizers/hypers';
import { OPTIMIZERS, optimizerSpec } from '../../engine/optimizers/registry';
import type { HyperKey } from '../../engine/types';
import { fmt, snap2 } from '../format';
import { setAngle, setKappa, setSlotOptimizer, useArena } from './arenaStore';
import { MarkedSlider } from './MarkedSlider';

// Adaptive racers: a log slider (their step is about lr per coordinate). GD and momentum: linear
// over [0, 4/lmax], which holds the stability limit 2/lmax and the heavy-ball step (< 4/lmax).
const LR_LO = -3;
const LR_HI = 1;
const lrPos = (v: number) => (Math.log10(v) - LR_LO) / (LR_HI - LR_LO);
const lrVal = (p: number) => snap2(10 ** (LR_LO + p * (LR_HI - LR_LO)));

export function QuadraticPanel({ fn }: { fn: TestFunction }) {
  const kappa = useArena((s) => s.kappa);
  const angle = useArena((s) => s.angleDeg);
  const slots = useArena((s) => s.slots);
  const selected = useArena((s) => s.selected);
  if (!fn.hessian) return null;
  const c = quadraticCompanions(fn.hessian.lmin, fn.hessian.lmax);
  const slot = slots[selected];
  const o = slot.optimizer;
  const label = slotLabels(slots)[selected];
  const spec = optimizerSpec(o.name);
  const hasMomentum = spec.hypers.includes('momentum');
  const adaptive = spec.adaptive;
  return (
    <section className="card quadratic-panel" aria-label="Quadratic: condition number and closed-form step sizes">
      <header className="card-head">
        <h2 title="f = ½(λmin·u² + λmax·v²) with λmax = 1 and λmin = 1/κ">Quadratic bowl</h2>
      </header>
      <MarkedSlider
        label="Condition number κ = λmax/λmin"
        value={kappa}
        toPos={(v) => Math.log10(v) / 3}
        toValue={(p) => Math.max(1, snap2(10 ** (3 * p)))}
        format={(v) => fmt(v)}
        markers={[]}
        onChange={setKappa}
        testId="kappa-slider"
      />
      <MarkedSlider
        label="Rotation of the axes"
        value={angle}
        toPos={(v) => v / 90}
        toValue={(p) => Math.round(p * 18) * 5}
        format={(v) => `${v}°`}
        markers={[]}
        onChange={setAngle}
      />
      <p className="muted small">
        Adaptive methods rescale each coordinate: they fix a stretched bowl only when its axes are the coordinate axes.
      </p>
      <h3 className="panel-sub">
        <span className="slot-dot" style={{ background: slot.color }} /> {label}
      </h3>
      <MarkedSlider
        label="Learning rate ε"
        value={o.lr}
        toPos={adaptive ? lrPos : (v) => v / (4 / c.lmax)}
        toValue={adaptive ? lrVal : (p) => Number((p * (4 / c.lmax)).toPrecision(3))}
        format={(v) => fmt(v)}
        markers={
          adaptive
            ? []
            : [
                {
                  value: c.maxStableLr,
                  label: '2/λmax',
                  color: '#c62f3b',
                  help: 'largest stable GD step: beyond it GD diverges',
                },
                { value: c.optimalLr, label: 'GD*', color: '#1f8a4c', help: 'best GD step 2/(λmin+λmax)' },
                { value: c.heavyBallLr, label: 'HB*', color: '#7c3aed', help: 'heavy-ball optimum 4/(√λmax+√λmin)²' },
              ]
        }
        onChange={(lr) => setSlotOptimizer(selected, { ...o, lr })}
        testId="lr-slider"
      />
      {hasMomentum && (
        <MarkedSlider
          label="Momentum μ"
          value={o.momentum}
          toPos={(v) => v / 0.99}
          toValue={(p) => Math.round(p * 99) / 100}
          format={(v) => fmt(v)}
          markers={[
            {
              value: c.heavyBallMomentum,
              label: 'HB*',
              color: '#7c3aed',
              help: 'heavy-ball optimum ((√κ−1)/(√κ+1))²',
            },
          ]}
          onChange={(momentum) => setSlotOptimizer(selected, { ...o, momentum })}
        />
      )}
      <div className="companion-buttons">
        {OPTIMIZERS.map((r) => {
          const cf = r.closedForm;
          if (!cf) return null;
          const best = cf.solve(c.lmin, c.lmax);
          const values = Object.entries(best.hypers).map(([k, v]) => `${hyperDef(k as HyperKey).symbol} = ${fmt(v)}`);
          return (
            <button
              key={r.name}
              type="button"
              title={`${cf.help} = ${fmt(best.rate, 4)}; here ${values.join(', ')}`}
              onClick={() => setSlotOptimizer(selected, { ...o, name: r.name, ...best.hypers })}
            >
              {cf.label}
            </button>
          );
        })}
      </div>
      <p className="muted small">
        At κ = {fmt(kappa)}: best GD shrinks the error ×{fmt(c.optimalRate, 4)} per step, heavy ball ×
        {fmt(c.heavyBallRate, 4)}.
      </p>
    </section>
  );
}
