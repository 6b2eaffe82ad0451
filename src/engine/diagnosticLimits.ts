// The thresholds of the training diagnostics (diagnostics.ts explains each rule and why), apart
// from the rules so that the page's update-ratio chart can mark its band (RATIO_LOW..RATIO_HIGH)
// without loading the diagnostics, which load with their panel.
export const DEAD_LIMIT = 0.5;
export const SAT_LIMIT = 0.5;
export const VANISH_RATIO = 1e-3;
export const EXPLODE_NORM = 100;
export const RATIO_HIGH = 1e-2;
export const RATIO_LOW = 1e-4;
export const RATIO_TARGET = 1e-3;
