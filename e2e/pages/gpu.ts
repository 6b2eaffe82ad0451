// Puts the GPU parity harness (and the speed probes the benchmark builds on) on window for
// e2e/gpu-parity.spec.ts and npm run bench (page.evaluate).
import * as probes from '../../workers/gpu/parity/probes';
import * as suite from '../../workers/gpu/parity/suite';

const harness = { ...suite, ...probes };

declare global {
  interface Window {
    gpuParity: typeof harness;
  }
}
window.gpuParity = harness;
document.body.dataset.ready = '1';
