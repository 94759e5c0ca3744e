#!/usr/bin/env node
// The workspace runs from its TypeScript sources: tsx compiles them on the fly, so neither
// users nor tests need a build step (and user plugins load through jiti the same way).
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
