#!/usr/bin/env node
// The agent, built by `npm run build` (dist/ is not committed): `stepwise-agent --config FILE`.
require('../dist/apps/agent/src/main.js');
