// The training worker (a module worker): all training happens here, never on the page's main
// thread. It exposes one TrainerService with Comlink; the page reaches it only through
// src/trainer/client.ts and bridge.ts, and the types in workers/protocol.ts are the contract.
// The CPU engine spreads a race's runs over one worker per core (this one and sub-workers,
// cpu/sharded.ts); workerEnv.ts builds what the service runs with.
import * as Comlink from 'comlink';
import { TrainerService } from './service';
import { workerServiceEnv } from './workerEnv';

Comlink.expose(new TrainerService(workerServiceEnv()));
