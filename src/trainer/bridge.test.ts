// The page-side bridge against the real TrainerService, connected in-process over a
// MessageChannel with Comlink exactly as the worker would be (no browser needed).
import * as Comlink from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import { CpuBackend } from '../../workers/cpu/backend';
import type { TrainerApi } from '../../workers/protocol';
import { TrainerService } from '../../workers/service';
import { defaultConfig } from '../engine';
import { TrainerBridge } from './bridge';
import type { TrainerClient } from './client';

let clientsMade = 0;
const ports: MessagePort[] = [];

function inProcessClient(): TrainerClient {
  clientsMade++;
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  Comlink.expose(new TrainerService({ factories: { cpu: () => new CpuBackend(), gpu: null } }), port2);
  const worker = new EventTarget() as unknown as Worker; // carries 'error' events like a Worker
  return {
    api: Comlink.wrap<TrainerApi>(port1),
    worker,
    terminate: () => {
      port1.close();
      port2.close();
    },
  };
}

const xor = () => {
  const c = defaultConfig();
  c.data.name = 'xor';
  c.data.samples = 200;
  return c;
};

let bridge: TrainerBridge | null = null;
afterEach(() => {
  bridge?.dispose();
  for (const p of ports.splice(0)) p.close();
});

const until = async (pred: () => boolean) => {
  for (let i = 0; i < 500 && !pred(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(pred()).toBe(true);
};

describe('TrainerBridge', () => {
  it('fills the ring buffers and publishes the coarse status', async () => {
    bridge = new TrainerBridge({ createClient: inProcessClient, backend: 'cpu' });
    const seen: number[] = [];
    bridge.subscribe((s) => seen.push(s.status?.runs[0]?.step ?? -1));
    const r = await bridge.create([xor()]);
    expect(r.ok).toBe(true);
    expect(bridge.getState().setup?.layers.length).toBe(3);
    await bridge.step(30);
    await until(() => (bridge!.metrics.runs[0]?.steps.size ?? 0) === 30);
    const h = bridge.metrics.runs[0]!;
    expect(Array.from(h.step('step'))).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(h.layer('updateRatio', 2).length).toBe(30);
    expect(bridge.getState().status?.runs[0].step).toBe(30);
    expect(bridge.getState().worker).toBe('ready');
    expect(seen).toContain(30);
    // A reset starts a new generation: the history restarts.
    await bridge.reset();
    await bridge.step(5);
    await until(() => bridge!.metrics.runs[0]?.steps.size === 5);
    expect(bridge.metrics.runs[0]!.step('step')[0]).toBe(0);
  });

  it('reports a failed worker and restarts it with the last configs', async () => {
    clientsMade = 0;
    bridge = new TrainerBridge({ createClient: inProcessClient, backend: 'cpu' });
    const cfg = xor();
    cfg.optimizer.lr = 0.05;
    await bridge.create([cfg]);
    await bridge.step(10);
    const worker = (bridge as unknown as { client: TrainerClient }).client.worker;
    worker.dispatchEvent(Object.assign(new Event('error'), { message: 'boom' }));
    expect(bridge.getState().worker).toBe('failed');
    expect(bridge.getState().error).toMatch(/crashed: boom/);
    const r = await bridge.restart();
    expect(clientsMade).toBe(2);
    expect(r?.ok).toBe(true);
    expect(bridge.getState().worker).not.toBe('failed');
    expect(bridge.getState().configs[0].optimizer.lr).toBe(0.05);
    const st = await bridge.step(3);
    expect(st.runs[0].step).toBe(3);
  });
});
