#!/usr/bin/env bash
# Start or stop N `exp worker` processes on this host, in the background (docs/distributed.md).
#   scripts/workers.sh start N [exp worker arguments…]   e.g. start 2 redis://queue:6379 --out /shared/runs
#   scripts/workers.sh stop                              SIGTERM: running trials go back to the queue
# Each worker's log is $ANNEAL_WORKERS_DIR/worker-<i>.log (default: ./workers), its pid worker-<i>.pid.
# The Redis password, if any, is best given as ANNEAL_QUEUE in the environment, not on the
# command line (where `ps` shows it).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
dir="${ANNEAL_WORKERS_DIR:-workers}"
exp="${ANNEAL_EXP:-node $here/packages/cli/bin/exp.js}"

case "${1:-}" in
  start)
    n="${2:?how many workers}"; shift 2
    mkdir -p "$dir"
    for i in $(seq 1 "$n"); do
      # setsid: a worker outlives this shell and a Ctrl-C in it; only `stop` (or kill) ends it.
      setsid $exp worker "$@" >"$dir/worker-$i.log" 2>&1 </dev/null &
      echo $! >"$dir/worker-$i.pid"
      echo "worker $i: pid $!, log $dir/worker-$i.log"
    done
    ;;
  stop)
    for pidfile in "$dir"/worker-*.pid; do
      [ -e "$pidfile" ] || continue
      pid="$(cat "$pidfile")"
      kill -TERM "$pid" 2>/dev/null || true
      # Wait for the hand-back to finish (a trial stops after its current batch).
      for _ in $(seq 1 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      rm -f "$pidfile"
      echo "stopped worker pid $pid"
    done
    ;;
  *)
    echo "usage: $0 start N [exp worker arguments…] | $0 stop" >&2
    exit 2
    ;;
esac
