// Property tests run with a fixed seed, so CI is deterministic and a failure replays exactly. To explore new
// cases locally, set FC_SEED (a number) or FC_SEED=random.
const fc = require('fast-check');

const seed = process.env.FC_SEED;
if (seed !== 'random') fc.configureGlobal({ seed: seed ? Number(seed) : 20261124 });
