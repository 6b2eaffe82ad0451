import { describe, expect, it } from 'vitest';
import { encodeHash } from '../config/urlHash';
import { DEFAULT_CONFIG } from '../engine/defaults';
import { CONFIG_KEY, initialConfig, type KeyValueStorage, readUiPrefs, UI_KEY } from './persistence';

function memory(entries: Record<string, string> = {}): KeyValueStorage {
  const m = new Map(Object.entries(entries));
  return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v) };
}
const saved = structuredClone(DEFAULT_CONFIG);
saved.optimizer.name = 'rmsprop';
saved.data.name = 'spiral';

describe('initial config', () => {
  it('prefers a link over the saved config', () => {
    const link = structuredClone(DEFAULT_CONFIG);
    link.optimizer.name = 'adam';
    const r = initialConfig(`#${encodeHash(link)}`, memory({ [CONFIG_KEY]: JSON.stringify(saved) }));
    expect(r.config).toEqual(link);
    expect(r.source).toBe('link');
    expect(r.notices).toEqual([]);
  });

  it('falls back to the saved config when the hash holds none', () => {
    const r = initialConfig('#hide=network', memory({ [CONFIG_KEY]: JSON.stringify(saved) }));
    expect(r.config).toEqual(saved);
    expect(r.extras.hide).toEqual(['network']);
  });

  it('shows a notice for a broken link and keeps its good fields', () => {
    const r = initialConfig('#opt=adam&lr=-1&v=1', memory({ [CONFIG_KEY]: JSON.stringify(saved) }));
    expect(r.source).toBe('link');
    expect(r.config.optimizer.name).toBe('adam');
    expect(r.config.optimizer.lr).toBe(DEFAULT_CONFIG.optimizer.lr);
    expect(r.notices.map((n) => n.path)).toEqual(['optimizer.lr']);
  });

  it('survives corrupt storage: bad JSON, bad fields, storage that throws', () => {
    expect(initialConfig('', memory({ [CONFIG_KEY]: '{"seed":' })).notices[0].path).toBe('config');
    const bad = initialConfig('', memory({ [CONFIG_KEY]: JSON.stringify({ ...saved, batchSize: 'big' }) }));
    expect(bad.config.data.name).toBe('spiral');
    expect(bad.notices.map((n) => n.path)).toEqual(['batchSize']);
    const throwing: KeyValueStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {},
    };
    expect(initialConfig('', throwing).config).toEqual(DEFAULT_CONFIG);
    expect(initialConfig('', null).config).toEqual(DEFAULT_CONFIG);
  });

  it('reads view preferences field by field', () => {
    const prefs = readUiPrefs(memory({ [UI_KEY]: JSON.stringify({ theme: 'dark', smoothing: 5, xAxis: 'epochs' }) }));
    expect(prefs).toEqual({ theme: 'dark', xAxis: 'epochs' });
    expect(readUiPrefs(memory({ [UI_KEY]: 'nope' }))).toEqual({});
  });
});
