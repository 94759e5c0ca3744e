#!/usr/bin/env bash
# The README's test command: install and start the services the tests use, then type-check,
# lint and run the whole vitest suite. `.ci/run` runs exactly this.
# Extra arguments go to vitest (e.g. `pnpm test packages/core`).
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/services.sh

services_up || exit 1
trap services_down EXIT

echo "== tsc --noEmit"
npx tsc --noEmit -p . || exit 1
echo "== biome check"
npx biome check . || exit 1
echo "== vitest"
npx vitest run --reporter=default --reporter=json --outputFile.json=.vitest-report.json "$@"
