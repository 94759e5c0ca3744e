# Services the test suite uses, installed from Debian's packages when missing and started on
# loopback. Sourced by scripts/test.sh; exports ANNEAL_TEST_REDIS_URL and ANNEAL_TEST_CHROMIUM.
# Tests that need a service fail (never skip) with an install hint when these are unset.

_sudo() { if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }

_apt_install() {
  command -v apt-get >/dev/null || { echo "services: no apt-get here; install $* by hand" >&2; return 1; }
  if [ "$(id -u)" -eq 0 ]; then echo "services: installing $* with apt-get (as root)";
  else echo "services: installing $* with sudo apt-get"; fi
  if [ -z "${_APT_UPDATED:-}" ]; then _sudo apt-get update -qq || return 1; _APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive _sudo apt-get install -y -qq "$@" >/dev/null || return 1
}

_free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

services_up() {
  local missing=()
  command -v redis-server >/dev/null || missing+=(redis-server)
  local chromium
  chromium=$(command -v chromium || command -v chromium-browser || true)
  [ -n "$chromium" ] || missing+=(chromium)
  if [ ${#missing[@]} -gt 0 ]; then
    _apt_install "${missing[@]}" || { echo "services: could not install ${missing[*]}; on Debian/Ubuntu: sudo apt-get install ${missing[*]}" >&2; return 1; }
    chromium=$(command -v chromium || command -v chromium-browser || true)
  fi
  export ANNEAL_TEST_CHROMIUM="$chromium"

  _REDIS_DIR=$(mktemp -d)
  local port
  port=$(_free_port)
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --dir "$_REDIS_DIR" --pidfile "$_REDIS_DIR/redis.pid" --logfile "$_REDIS_DIR/redis.log" || return 1
  for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  export ANNEAL_TEST_REDIS_URL="redis://127.0.0.1:$port"
  echo "services: redis at $ANNEAL_TEST_REDIS_URL, chromium at $ANNEAL_TEST_CHROMIUM"
}

services_down() {
  if [ -n "${_REDIS_DIR:-}" ] && [ -f "$_REDIS_DIR/redis.pid" ]; then
    kill "$(cat "$_REDIS_DIR/redis.pid")" 2>/dev/null
    rm -rf "$_REDIS_DIR"
  fi
}
