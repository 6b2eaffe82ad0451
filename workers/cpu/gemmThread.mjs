// A helper thread of the GEMM pool (workers/cpu/gemmPool.ts): a browser module Worker or a Node
// worker_threads Worker, both running this file. Its one message is { module, memory, ctl }: the
// compiled shared-memory kernels, the memory they share with the caller, and the control block.
// It instantiates the kernels on that memory, answers 'ready' (or 'error: ...'), then serves
// products until the pool sets STOP (gemmChunks.mjs).
import { helperLoop } from './gemmChunks.mjs';

async function serve(msg, reply) {
  let gemm;
  try {
    // from a compiled Module, instantiate() resolves with the Instance itself
    const instance = await WebAssembly.instantiate(msg.module, { env: { memory: msg.memory } });
    gemm = instance.exports.gemm;
    if (typeof gemm !== 'function') throw new Error('the kernels export no gemm');
  } catch (e) {
    reply(`error: ${e}`);
    return;
  }
  reply('ready');
  helperLoop(new Int32Array(msg.ctl), gemm);
}

if (typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope) {
  self.onmessage = (e) => serve(e.data, (m) => self.postMessage(m));
} else {
  // Node; the specifier is a variable so that bundlers leave it alone.
  const name = 'node:worker_threads';
  // (no top-level await: a bundler may emit this file as a classic script)
  import(/* @vite-ignore */ name).then(({ parentPort }) =>
    parentPort.once('message', (m) => serve(m, (r) => parentPort.postMessage(r))),
  );
}
