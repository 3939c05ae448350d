#!/usr/bin/env bash
# MelonChain local run: real PostgreSQL and RabbitMQ from the OS packages, bound to 127.0.0.1, data under
# deploy/.local/ (git-ignored), every service as a process.
#   deploy/dev.sh up       install what is missing, start servers, build, run every service, play the demo season
#   deploy/dev.sh up --replicas 2   the same with two processes of every service (ports +10: 8090-8094) behind the
#                          Gateway, which balances over them and skips one that is not ready
#   deploy/dev.sh down     stop services and servers
#   deploy/dev.sh status   what runs where
#   deploy/dev.sh test     start the servers and run the whole test suite against them
#   deploy/dev.sh infra    only install and start PostgreSQL and RabbitMQ
#   deploy/dev.sh bench    the speed benchmarks (tests/MelonChain.Benchmarks/BARS.md) -> deploy/.local/bench/bench-report.{md,json}; --smoke: tiny
#   deploy/dev.sh chaos [minutes] [--seed N]   R16: a generated season under random faults (own servers), invariants checked
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$ROOT/deploy/.local"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_PORT="${PG_PORT:-55432}"
RABBIT_PORT="${RABBIT_PORT:-5672}"
RABBIT_MGMT_PORT="${RABBIT_MGMT_PORT:-15672}"
RABBIT_NODE="melonchain@localhost"
# The Debian wrappers switch to the rabbitmq user (another HOME, another Erlang cookie): call the real scripts.
RABBIT_BIN="${RABBIT_BIN:-/usr/lib/rabbitmq/bin}"
rabbitmqctl() { "$RABBIT_BIN/rabbitmqctl" "$@"; }
rabbitmq_server() { "$RABBIT_BIN/rabbitmq-server" "$@"; }
CONFIGURATION="${CONFIGURATION:-Release}"
SERVICES=(CarrierSimulator Cooperative ContractGrowing Dispatch Tracking Gateway)
declare -A PORTS=([Gateway]=8080 [Cooperative]=8081 [ContractGrowing]=8082 [Dispatch]=8083 [Tracking]=8084 [CarrierSimulator]=8089)
# The Gateway's cluster for each service it routes to (services/Gateway/appsettings.json).
declare -A CLUSTERS=([Cooperative]=cooperative [ContractGrowing]=growing [Dispatch]=dispatch [Tracking]=tracking)
REPLICAS=1

log() { printf '\033[1;32m==>\033[0m %s\n' "$*"; }
die() { printf '\033[1;31mxx\033[0m %s\n' "$*" >&2; exit 1; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

install_missing() {
  local need=()
  [ -x "$PG_BIN/initdb" ] || need+=(postgresql)
  command -v rabbitmq-server >/dev/null 2>&1 || need+=(rabbitmq-server)
  command -v curl >/dev/null 2>&1 || need+=(curl)
  command -v jq >/dev/null 2>&1 || need+=(jq)
  # Labels and certificates embed a CJK font; the tests render label pages with poppler to read their QR.
  [ -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || need+=(fonts-wqy-zenhei)
  command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
  if [ ${#need[@]} -gt 0 ]; then
    log "installing ${need[*]} (apt)"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  fi
  [ -x "$PG_BIN/initdb" ] || PG_BIN="$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | tail -n1)")"
  command -v dotnet >/dev/null 2>&1 || die "the .NET 10 SDK is required (dotnet on PATH)"
}

# PostgreSQL refuses to run as root: its folder must belong to (and be reachable by) the postgres user.
pg_dir() {
  local dir="$LOCAL/pg"
  mkdir -p "$LOCAL"
  if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$LOCAL" 2>/dev/null; then
    # The checkout is not reachable by postgres (e.g. under /root): keep the data outside and link it.
    local outside="/var/tmp/melonchain-$(echo -n "$ROOT" | md5sum | cut -c1-12)/pg"
    mkdir -p "$outside"
    [ -L "$dir" ] || { rm -rf "$dir"; ln -s "$outside" "$dir"; }
    dir="$outside"
  fi
  mkdir -p "$dir"
  echo "$dir"
}

pg_run() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start_postgres() {
  local dir; dir="$(pg_dir)"
  [ "$(id -u)" = 0 ] && chown -R postgres:postgres "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    log "initialising PostgreSQL in $dir/data"
    pg_run "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  mkdir -p "$dir/run"; [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir/run"
  if pg_run "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then return; fi
  log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
  pg_run "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
    -o "-p $PG_PORT -k $dir/run -c listen_addresses=127.0.0.1 -c max_connections=400 -c shared_buffers=256MB" start >/dev/null
}

stop_postgres() {
  local dir="$LOCAL/pg"
  [ -f "$dir/data/PG_VERSION" ] || return 0
  pg_run "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
}

# The browser tests drive Debian's Chromium (no browser can be downloaded on these machines).
install_browser() {
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    log "installing chromium chromium-driver (apt)"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
}

# The suite checks docker-compose.yml as docker-compose resolves it (`docker-compose config` needs no Docker engine).
install_compose() {
  if ! command -v docker-compose >/dev/null 2>&1; then
    log "installing docker-compose (apt, without the Docker engine)"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-compose >/dev/null
  fi
}

rabbit_env() {
  export RABBITMQ_NODENAME="$RABBIT_NODE"
  export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
  export RABBITMQ_NODE_PORT="$RABBIT_PORT"
  export RABBITMQ_DIST_PORT=$((RABBIT_PORT + 20000))
  export RABBITMQ_MNESIA_BASE="$LOCAL/rabbitmq/mnesia"
  export RABBITMQ_LOG_BASE="$LOCAL/rabbitmq/log"
  export RABBITMQ_PID_FILE="$LOCAL/rabbitmq/rabbit.pid"
  export RABBITMQ_ENABLED_PLUGINS_FILE="$LOCAL/rabbitmq/enabled_plugins"
  export RABBITMQ_CONFIG_FILE="$LOCAL/rabbitmq/rabbitmq"
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  export ERL_EPMD_ADDRESS=127.0.0.1
}

start_rabbitmq() {
  rabbit_env
  mkdir -p "$LOCAL/rabbitmq/log" "$LOCAL/rabbitmq/mnesia"
  echo '[rabbitmq_management].' > "$RABBITMQ_ENABLED_PLUGINS_FILE"
  cat > "$LOCAL/rabbitmq/rabbitmq.conf" <<CONF
management.tcp.ip = 127.0.0.1
management.tcp.port = $RABBIT_MGMT_PORT
loopback_users.guest = true
collect_statistics_interval = 500
CONF
  if rabbitmqctl -q -n "$RABBIT_NODE" status >/dev/null 2>&1; then return; fi
  log "starting RabbitMQ on 127.0.0.1:$RABBIT_PORT (management 127.0.0.1:$RABBIT_MGMT_PORT)"
  rabbitmq_server -detached >/dev/null 2>&1
  rabbitmqctl -q -n "$RABBIT_NODE" wait --timeout 120 "$RABBITMQ_PID_FILE" >/dev/null
}

stop_rabbitmq() {
  rabbit_env
  rabbitmqctl -q -n "$RABBIT_NODE" stop >/dev/null 2>&1 || true
}

infra() {
  install_missing
  start_postgres
  start_rabbitmq
  export MELON_PG="Host=127.0.0.1;Port=$PG_PORT;Username=postgres"
  for db in melon_cooperative melon_growing melon_dispatch melon_tracking; do
    psql "host=127.0.0.1 port=$PG_PORT user=postgres dbname=postgres" -tAc "select 1 from pg_database where datname='$db'" | grep -q 1 \
      || psql "host=127.0.0.1 port=$PG_PORT user=postgres dbname=postgres" -qc "create database $db" >/dev/null
  done
}

build() {
  log "building ($CONFIGURATION)"
  dotnet build "$ROOT/MelonChain.sln" -c "$CONFIGURATION" -nologo -v q -clp:ErrorsOnly
}

port_pid() { ss -ltnpH "sport = :$1" 2>/dev/null | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -n1; }

# Every event's exchange and every subscriber's queue (the event catalogue) exist before any service publishes.
deploy_topology() {
  log "declaring the event topology on RabbitMQ"
  ( cd "$ROOT/services/Cooperative/bin/$CONFIGURATION/net10.0" && ASPNETCORE_ENVIRONMENT=Development dotnet MelonChain.Cooperative.dll --deploy-topology )
}

# Replica i of a service listens 10 ports above replica i-1 (Cooperative: 8081, 8091, ...). The carrier simulator keeps
# its carrier orders in memory, so it always runs once.
replicas_of() { if [ "$1" = CarrierSimulator ]; then echo 1; else echo "$REPLICAS"; fi; }
replica_port() { echo $(( ${PORTS[$1]} + 10 * ($2 - 1) )); }
replica_name() { if [ "$2" = 1 ]; then echo "$1"; else echo "$1-$2"; fi; }

start_services() {
  mkdir -p "$LOCAL/logs" "$LOCAL/pids" "$LOCAL/keys"
  echo "$REPLICAS" >"$LOCAL/replicas"
  deploy_topology
  # With replicas, the Gateway lists every replica of a service as a destination of its cluster, and the simulator
  # pushes routes through the Gateway, so a push reaches whichever Dispatch is ready.
  local extra=()
  if [ "$REPLICAS" -gt 1 ]; then
    for svc in "${!CLUSTERS[@]}"; do
      for i in $(seq 2 "$REPLICAS"); do
        extra+=("ReverseProxy__Clusters__${CLUSTERS[$svc]}__Destinations__replica${i}__Address=http://127.0.0.1:$(replica_port "$svc" "$i")/")
      done
    done
  fi
  for svc in "${SERVICES[@]}"; do
    for i in $(seq 1 "$(replicas_of "$svc")"); do
      local name port pidfile settings=()
      name="$(replica_name "$svc" "$i")"; port="$(replica_port "$svc" "$i")"; pidfile="$LOCAL/pids/$name.pid"
      if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then continue; fi
      local holder; holder="$(port_pid "$port")"
      [ -z "$holder" ] || die "port $port ($name) is taken by pid $holder: stop it first (deploy/dev.sh down stops ours)"
      [ "$svc" = Gateway ] && settings+=("${extra[@]}")
      # The demo decides its one re-bill itself (the simulator's POST /admin/waybills/{no}/bill), so no order is
      # re-billed at random and the summary is the same every run.
      [ "$svc" = CarrierSimulator ] && settings+=("Simulator__Fees__RevisedShare=0")
      [ "$svc" = CarrierSimulator ] && [ "$REPLICAS" -gt 1 ] && settings+=("Simulator__RoutePushUrl=http://127.0.0.1:${PORTS[Gateway]}/api/v1/dispatch/carriers/sf/routes" "Simulator__FeePushUrl=http://127.0.0.1:${PORTS[Gateway]}/api/v1/dispatch/carriers/sf/fees")
      local out="$ROOT/services/$svc/bin/$CONFIGURATION/net10.0"
      ( cd "$out" && exec env ASPNETCORE_ENVIRONMENT=Development DataProtection__Path="$LOCAL/keys/$svc" \
          Urls="http://127.0.0.1:$port" Service__InstanceId="$name" "${settings[@]}" \
          dotnet "MelonChain.$svc.dll" >"$LOCAL/logs/$name.log" 2>&1 ) &
      echo $! >"$pidfile"
    done
  done
  for svc in "${SERVICES[@]}"; do
    for i in $(seq 1 "$(replicas_of "$svc")"); do
      local name port url
      name="$(replica_name "$svc" "$i")"; port="$(replica_port "$svc" "$i")"; url="http://127.0.0.1:$port/health/ready"
      for _ in $(seq 1 120); do
        curl -fsS "$url" >/dev/null 2>&1 && break
        kill -0 "$(cat "$LOCAL/pids/$name.pid")" 2>/dev/null || { tail -n 30 "$LOCAL/logs/$name.log"; die "$name exited"; }
        sleep 0.5
      done
      curl -fsS "$url" >/dev/null 2>&1 || die "$name did not become ready (see $LOCAL/logs/$name.log)"
      log "$name ready on http://127.0.0.1:$port"
    done
  done
}

stop_services() {
  # Every replica this script started has a pid file.
  for pidfile in "$LOCAL"/pids/*.pid; do
    [ -f "$pidfile" ] || continue
    kill "$(cat "$pidfile")" 2>/dev/null || true; rm -f "$pidfile"
  done
  # A MelonChain service still on its port (started by an earlier run) is ours to stop too.
  for svc in "${SERVICES[@]}"; do
    for i in $(seq 1 "$(replicas_of "$svc")"); do
      local holder; holder="$(port_pid "$(replica_port "$svc" "$i")")"
      if [ -n "$holder" ] && grep -q "MelonChain.$svc.dll" "/proc/$holder/cmdline" 2>/dev/null; then kill "$holder" 2>/dev/null || true; fi
    done
  done
}

seed() {
  if [ -x "$ROOT/deploy/demo.sh" ]; then "$ROOT/deploy/demo.sh"; fi
}

status() {
  rabbit_env
  printf '%-18s %s\n' PostgreSQL "$(pg_run "$PG_BIN/pg_ctl" -D "$LOCAL/pg/data" status >/dev/null 2>&1 && echo "running on 127.0.0.1:$PG_PORT" || echo stopped)"
  printf '%-18s %s\n' RabbitMQ "$(rabbitmqctl -q -n "$RABBIT_NODE" status >/dev/null 2>&1 && echo "running on 127.0.0.1:$RABBIT_PORT" || echo stopped)"
  for svc in "${SERVICES[@]}"; do
    for i in $(seq 1 "$(replicas_of "$svc")"); do
      local state=stopped port ready; port="$(replica_port "$svc" "$i")"
      ready="$(curl -fsS "http://127.0.0.1:$port/health/ready" 2>/dev/null)" && state="ready on http://127.0.0.1:$port"
      [[ "$ready" == *'"status":"Degraded"'* ]] && state="$state, degraded ($(grep -o 'dead letters: [^;"]*' <<<"$ready"))"
      printf '%-18s %s\n' "$(replica_name "$svc" "$i")" "$state"
    done
  done
}

# Benchmarks: servers already answering on the ports (even from another checkout) are used as they are; otherwise
# infra starts ours. pgbench and pg_test_fsync come with the PostgreSQL server packages.
bench() {
  if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" 2>/dev/null && (exec 3<>"/dev/tcp/127.0.0.1/$RABBIT_MGMT_PORT") 2>/dev/null; then
    install_missing
  else
    infra
  fi
  if [ ! -x "$PG_BIN/pgbench" ] || [ ! -x "$PG_BIN/pg_test_fsync" ]; then
    log "installing postgresql-contrib (apt)"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-contrib >/dev/null
  fi
  export MELON_PG="Host=127.0.0.1;Port=$PG_PORT;Username=postgres"
  export MELON_RABBIT="amqp://guest:guest@127.0.0.1:$RABBIT_PORT/"
  export MELON_RABBIT_MANAGEMENT="http://127.0.0.1:$RABBIT_MGMT_PORT"
  export MELON_PG_BIN="$PG_BIN"
  log "building the benchmark and the services ($CONFIGURATION)"
  dotnet build "$ROOT/tests/MelonChain.Benchmarks" -c "$CONFIGURATION" -nologo -v q -clp:ErrorsOnly
  mkdir -p "$LOCAL/bench"
  dotnet "$ROOT/tests/MelonChain.Benchmarks/bin/$CONFIGURATION/net10.0/MelonChain.Benchmarks.dll" --out "$LOCAL/bench" "$@" \
    | tee "$LOCAL/bench/bench.log"
  log "reports: $LOCAL/bench/bench-report.md and bench-report.json"
}

# R16, the chaos season (tests/RELIABILITY.md): a generated season of both cooperatives played for MINUTES (20 by
# default) while replicas, PostgreSQL and RabbitMQ are killed and restarted and the carrier simulator slowed, at random
# from a seed (printed; --seed N replays the same schedule); then every invariant is checked and printed. It runs its own
# PostgreSQL server and RabbitMQ node on free ports (never the ones `up` and `test` use) and two replicas of every
# service. Not part of CI. Exits 1 when an invariant is broken.
chaos() {
  install_missing
  export MELON_PG_BIN="$PG_BIN"
  log "building the chaos season and the services ($CONFIGURATION)"
  dotnet build "$ROOT/tests/MelonChain.Chaos" -c "$CONFIGURATION" -nologo -v q -clp:ErrorsOnly
  mkdir -p "$LOCAL/chaos"
  set +e
  dotnet "$ROOT/tests/MelonChain.Chaos/bin/$CONFIGURATION/net10.0/MelonChain.Chaos.dll" "$@" | tee "$LOCAL/chaos/chaos.log"
  local code=${PIPESTATUS[0]}
  set -e
  log "log: $LOCAL/chaos/chaos.log"
  exit "$code"
}

# How many replicas the last `up` started (status and down look at all of them).
[ -f "$LOCAL/replicas" ] && REPLICAS="$(cat "$LOCAL/replicas")"

case "${1:-}" in
  up)
    REPLICAS=1
    if [ "${2:-}" = --replicas ]; then
      REPLICAS="${3:-}"
      [[ "$REPLICAS" =~ ^[1-9]$ ]] || die "--replicas takes 1 to 9"
    fi
    infra; build; start_services; seed
    cat <<MSG

MelonChain is up.
  Gateway + Swagger UI   http://127.0.0.1:8080/swagger   ($REPLICAS replica(s) of every service behind it)
  Dev token              curl -s -X POST http://127.0.0.1:8080/api/v1/dev/tokens -H 'Content-Type: application/json' \\
                           -d '{"role":"clerk","subject":"clerk-1","cooperativeId":"shangxiang"}'
  RabbitMQ management    http://127.0.0.1:$RABBIT_MGMT_PORT (guest/guest)
  Logs                   $LOCAL/logs/
Stop with: deploy/dev.sh down

The clerk's workstation (合作社工作台), signed in as Shangxiang's clerk (the sign-in form comes filled):
  http://127.0.0.1:8080/app/
MSG
    ;;
  down) stop_services; stop_rabbitmq; stop_postgres; log "stopped" ;;
  status) status ;;
  infra) infra ;;
  bench) bench "${@:2}" ;;
  chaos) chaos "${@:2}" ;;
  test)
    infra
    install_browser
    install_compose
    export MELON_PG="Host=127.0.0.1;Port=$PG_PORT;Username=postgres"
    export MELON_RABBIT="amqp://guest:guest@127.0.0.1:$RABBIT_PORT/"
    export MELON_RABBIT_MANAGEMENT="http://127.0.0.1:$RABBIT_MGMT_PORT"
    export MELON_PG_BIN="$PG_BIN"
    log "running the test suite"
    mkdir -p "$LOCAL/logs"
    set +e
    dotnet test "$ROOT/MelonChain.sln" -c "$CONFIGURATION" -nologo "${@:2}" 2>&1 | tee "$LOCAL/logs/test.log"
    code=${PIPESTATUS[0]}
    set -e
    # One closing line for the whole suite: the sum over every test project.
    awk '/^(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { if ($i == "Passed:") p += $(i+1); if ($i == "Failed:") f += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
         END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' FS='[ ,]+' "$LOCAL/logs/test.log"
    exit "$code"
    ;;
  *) echo "usage: deploy/dev.sh up [--replicas N]|down|status|test|infra|bench|chaos [minutes] [--seed N]"; exit 2 ;;
esac
