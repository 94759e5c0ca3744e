#!/usr/bin/env node
// The published `exp` bin (publishConfig.bin): the built CLI, no TypeScript loader needed.
// In the workspace, bin/exp.js runs the sources through tsx instead.
import '../dist/main.js';
