#!/usr/bin/env -S node --no-opt
// The agent, built by `npm run build` (dist/ is not committed): `stepwise-agent --config FILE`.
// --no-opt: the agent does little JavaScript work, and V8's optimising compiler costs more memory
// (its code and compile zones: 3.5 MB of the peak) than it saves time (`npm run bench:agent-apache`).
require('../dist/apps/agent/src/main.js');
