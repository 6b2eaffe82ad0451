// Types of prereqs.mjs (plain JavaScript so `npm test` needs only node before it checks anything).
export interface SystemPackage {
  pkg: string;
  why: string;
  present: () => boolean;
}
export type Plan =
  | { action: 'none' }
  | { action: 'install'; packages: string[]; commands: [string, string[]][] }
  | { action: 'fail'; command: string; message: string };
export const DEBIAN_PYTHON: string;
export const SYSTEM_PACKAGES: SystemPackage[];
export function findChromium(): string | null;
export function planPrereqs(s: { missing: { pkg: string; why: string }[]; isRoot: boolean; hasAptGet: boolean }): Plan;
export function ensurePrereqs(o?: {
  env?: Record<string, string | undefined>;
  log?: (s: string) => void;
  run?: (cmd: string, args: string[]) => boolean;
  packages?: SystemPackage[];
  isRoot?: boolean;
  hasAptGet?: boolean;
}): boolean;
