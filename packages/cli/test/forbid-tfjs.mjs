// Loaded with `node --import` by light-commands.test.ts: any attempt to resolve a tfjs package
// fails loudly, proving that a command never loads tfjs.
import { register } from 'node:module';

register(
  'data:text/javascript,' +
    encodeURIComponent(`export async function resolve(specifier, context, next) {
      if (specifier.startsWith('@tensorflow/')) throw new Error('tfjs was loaded: ' + specifier);
      return next(specifier, context);
    }`),
);
