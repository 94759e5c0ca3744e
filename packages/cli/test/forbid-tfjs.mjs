// Loaded with `node --import` by light-commands.test.ts: any attempt to resolve a tfjs package
// fails loudly, proving that a command never loads tfjs.
import Module, { register } from 'node:module';

register(
  'data:text/javascript,' +
    encodeURIComponent(`export async function resolve(specifier, context, next) {
      if (specifier.startsWith('@tensorflow/')) throw new Error('tfjs was loaded: ' + specifier);
      return next(specifier, context);
    }`),
);

// The trainer loads tfjs with require (createRequire), which the ESM hook above does not see.
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request.startsWith('@tensorflow/')) throw new Error(`tfjs was loaded: ${request}`);
  return resolveFilename.call(this, request, ...rest);
};
