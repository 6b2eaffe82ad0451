// A helper thread of the GEMM pool (workers/cpu/gemmPool.ts): a browser module Worker or a Node
// worker_threads Worker, both running this file. Its one message is { module, memory, ctl, id }:
// the compiled shared-memory kernels, the memory they share with the caller, the control block and
// its thread id (>= 1). It instantiates the kernels on that memory, answers 'ready' (or
// 'error: ...'), then serves products until the pool sets STOP (gemmChunks.mjs). If serving
// throws (a trap, the crash test hook), it answers 'error: ...' and ends, so that the pool
// replaces it; a chunk it had claimed is recomputed by the caller.
import { helperLoop } from './gemmChunks.mjs';

async function serve(msg, reply, end) {
  let k;
  try {
    // from a compiled Module, instantiate() resolves with the Instance itself
    const instance = await WebAssembly.instantiate(msg.module, { env: { memory: msg.memory } });
    k = instance.exports;
    if (typeof k.gemm !== 'function' || typeof k.pack !== 'function' || typeof k.packT !== 'function')
      throw new Error('the kernels export no gemm, pack or packT');
  } catch (e) {
    reply(`error: ${e}`);
    return;
  }
  reply('ready');
  try {
    helperLoop(new Int32Array(msg.ctl), k, msg.id);
  } catch (e) {
    reply(`error: ${e instanceof Error ? e.message : e}`);
    end();
  }
}

if (typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope) {
  self.onmessage = (e) =>
    serve(
      e.data,
      (m) => self.postMessage(m),
      () => self.close(),
    );
} else {
  // Node; the specifier is a variable so that bundlers leave it alone.
  const name = 'node:worker_threads';
  // (no top-level await: a bundler may emit this file as a classic script)
  import(/* @vite-ignore */ name).then(({ parentPort }) =>
    parentPort.once('message', (m) =>
      serve(
        m,
        (r) => parentPort.postMessage(r),
        () => process.exit(1),
      ),
    ),
  );
}
