import { describe, expect, it } from 'vitest';
import { embedParams, parseCommand } from './protocol';

describe('embed URL parameters', () => {
  it('reads embed, panels and origins, and names what is wrong', () => {
    const p = embedParams('?embed=1&panels=loss,boundary,charts&origins=https://a.org,https://b.org/,ftp//x');
    expect(p.embed).toBe(true);
    expect(p.panels).toEqual(['loss', 'boundary']);
    expect(p.origins).toEqual(['https://a.org', 'https://b.org']);
    expect(p.errors).toEqual([
      expect.stringContaining('panels: "charts" is not a panel'),
      expect.stringContaining('origins: "ftp//x" is not an origin'),
    ]);
  });

  it('is off without embed=1, shows loss and boundary without panels, and refuses paths as origins', () => {
    expect(embedParams('').embed).toBe(false);
    expect(embedParams('?embed=1').panels).toEqual(['loss', 'boundary']);
    expect(embedParams('?embed=1&origins=https://a.org/slides').errors[0]).toContain('https://a.org/slides');
  });
});

describe('embed commands', () => {
  it('accepts the simple commands with their id', () => {
    for (const type of ['play', 'pause', 'step', 'reset', 'getMetrics'])
      expect(parseCommand({ type, id: 7 })).toEqual({ ok: true, command: { type, id: 7 } });
  });

  it('refuses what is not a command, saying why', () => {
    expect(parseCommand('play')).toMatchObject({ ok: false, error: expect.stringContaining('object') });
    expect(parseCommand({ id: 1 })).toMatchObject({
      ok: false,
      id: 1,
      error: expect.stringContaining('type is missing'),
    });
    expect(parseCommand({ type: 'jump', id: 'a' })).toMatchObject({
      ok: false,
      id: 'a',
      error: expect.stringContaining('"jump"'),
    });
    expect(parseCommand({ type: 'play', id: {} })).toMatchObject({ ok: false, error: expect.stringContaining('id') });
  });

  it('checks setConfig against the field table, naming the field', () => {
    expect(parseCommand({ type: 'setConfig', config: { 'optimizer.lr': 0.05, 'optimizer.name': 'adam' } })).toEqual({
      ok: true,
      command: { type: 'setConfig', id: undefined, config: { 'optimizer.lr': 0.05, 'optimizer.name': 'adam' } },
    });
    const err = (config: unknown) => {
      const r = parseCommand({ type: 'setConfig', config });
      return r.ok ? '' : r.error;
    };
    expect(err({})).toContain('setConfig needs config');
    expect(err({ 'optimizer.speed': 1 })).toContain('config.optimizer.speed is not a setting');
    expect(err({ 'optimizer.lr': 'fast' })).toMatch(/^config\.optimizer\.lr: .*not a number/);
    expect(err({ 'optimizer.lr': -1 })).toMatch(/^config\.optimizer\.lr: .*below the minimum/);
    expect(err({ 'optimizer.name': 'magic' })).toMatch(/^config\.optimizer\.name: .*not one of/);
  });
});
