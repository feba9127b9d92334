#!/usr/bin/env bash
# bench/compare/idle-connections.sh - memory per idle keep-alive client connection: the gateway beside nginx.
#
# Publishes the gateway (as run.sh does, or takes --gateway-binary) and bench/IdleClients, starts the nginx upstream,
# then measures each server in turn, fresh: the gateway (quick start to the upstream, run.sh's environment), with
# --baseline-ref the gateway of that commit, and nginx as a keep-alive proxy (run.sh's nginx row). For each: a short
# wrk warm-up, a latency probe (one connection, sequential GETs), RSS once it stops moving; then N connections are
# opened, each sends one GET and reads its 200 (a real keep-alive connection) and stays idle; RSS right after and once
# it stops moving again (bounded); the latency probe again while they are open; one more GET on every held connection
# (all must still answer); then everything is closed and the server stopped. Prints a markdown table: KiB per idle
# connection (settled RSS growth / N) and its ratio to nginx's, and the probe's latency without and with the idle
# connections. The servers are pinned to core 0, the client and the upstream to core 1, as in run.sh. Raises the
# open-file limit to its hard limit, which must leave room for N connections.
set -euo pipefail

IDLE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# run.sh's helpers (processes, publishing, the upstream, the gateway and nginx rows, cleanup), without its main.
# shellcheck source=run.sh
source "$IDLE_DIR/run.sh"

IDLE_N=10000
IDLE_WARMUP=5
IDLE_PROBES=200
IDLE_SETTLE_MAX=60
IDLE_GATEWAY_BINARY=""
# The gateway closes a kept-alive connection after GATEWAY_KEEPALIVE_TIMEOUT (130 s by default): longer than a measurement.
readonly IDLE_GATEWAY_ENV="GATEWAY_KEEPALIVE_TIMEOUT=900s"
readonly IDLE_CLIENT_DEADLINE=900
readonly IDLE_REPLY_TIMEOUT=600
# The holder's process and the two ends of its standard input and output (copies that outlive the coprocess).
IDLE_HOLDER_PID=""
IDLE_HOLDER_IN=""
IDLE_HOLDER_OUT=""

idle_usage() {
    cat <<'EOF'
Usage: bench/compare/idle-connections.sh [options]

  --connections N         idle keep-alive connections to hold against each server (default 10000)
  --warmup S              seconds of wrk at 64 connections before measuring each server (default 5)
  --probes K              sequential GETs of each latency probe (default 200)
  --settle-max S          longest wait for RSS to stop moving, each time (default 60)
  --baseline-ref REF      also measure the gateway published from git commit-ish REF, as one more row
  --gateway-binary PATH   a published gateway to measure instead of publishing this tree (run.sh passes its own)
  --gateway-env "K=V ..." extra environment for the gateway rows
  --keep                  keep the temp dir (configs, logs) and print where it is
  -h, --help              this text
EOF
}

idle_parse_args() {
    while (($# > 0)); do
        case "$1" in
            --connections) IDLE_N="${2:?--connections needs a value}"; shift 2 ;;
            --warmup) IDLE_WARMUP="${2:?--warmup needs a value}"; shift 2 ;;
            --probes) IDLE_PROBES="${2:?--probes needs a value}"; shift 2 ;;
            --settle-max) IDLE_SETTLE_MAX="${2:?--settle-max needs a value}"; shift 2 ;;
            --baseline-ref) BASELINE_REF="${2:?--baseline-ref needs a value}"; shift 2 ;;
            --gateway-binary) IDLE_GATEWAY_BINARY="${2:?--gateway-binary needs a value}"; shift 2 ;;
            --gateway-env) GATEWAY_ENV="${2?--gateway-env needs a value}"; shift 2 ;;
            --keep) KEEP_WORK_DIR=1; shift ;;
            -h | --help) idle_usage; exit 0 ;;
            *) idle_usage >&2; die "unknown option '$1'" ;;
        esac
    done
    [[ "$IDLE_N" =~ ^[1-9][0-9]*$ ]] || die "--connections needs a positive whole number, got '$IDLE_N'"
    require_positive_integer --warmup "$IDLE_WARMUP"
    [[ "$IDLE_PROBES" =~ ^[1-9][0-9]*$ ]] || die "--probes needs a positive whole number, got '$IDLE_PROBES'"
    require_positive_integer --settle-max "$IDLE_SETTLE_MAX"
    require_env_assignments --gateway-env "$GATEWAY_ENV"
    [[ -z "$IDLE_GATEWAY_BINARY" || -x "$IDLE_GATEWAY_BINARY" ]] || die "--gateway-binary: '$IDLE_GATEWAY_BINARY' is not an executable"
    ONLY=gateway
    [[ -z "$BASELINE_REF" ]] || resolve_baseline_ref
}

# Raises the open-file limit to the hard limit; the server and the client each need one per connection and some more.
raise_file_limit() {
    local hard
    hard="$(ulimit -Hn)"
    [[ "$hard" == unlimited ]] || ((hard >= IDLE_N + 1024)) \
        || die "--connections $IDLE_N needs an open-file limit of at least $((IDLE_N + 1024)); the hard limit is $hard"
    ulimit -n "$hard"
    NGINX_WORKER_CONNECTIONS=$((IDLE_N + 1024))
}

# VmRSS (KiB) summed over the process tree of $1.
tree_rss_kib() {
    local total=0 pid kib
    for pid in $(process_tree "$1"); do
        kib="$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)"
        total=$((total + ${kib:-0}))
    done
    printf '%s\n' "$total"
}

# RSS of tree $1 once it stops moving: five one-second samples in a row within 64 KiB of each other, at most
# IDLE_SETTLE_MAX seconds (then the last sample, with a warning).
settled_rss_kib() {
    local pid="$1" previous current steady=0 deadline=$((SECONDS + IDLE_SETTLE_MAX))
    previous="$(tree_rss_kib "$pid")"
    while ((SECONDS < deadline)); do
        sleep 1
        current="$(tree_rss_kib "$pid")"
        if (((current - previous) ** 2 <= 64 * 64)); then
            steady=$((steady + 1))
            ((steady < 5)) || { printf '%s\n' "$current"; return 0; }
        else
            steady=0
        fi
        previous="$current"
    done
    log "warning: RSS still moving after ${IDLE_SETTLE_MAX}s; taking the last reading"
    printf '%s\n' "$previous"
}

# Starts the connection holder against port $1, pinned to the load core (a bash coprocess: HOLDER).
start_holder() {
    coproc HOLDER { exec taskset -c "$LOAD_CORE" "$WORK_DIR/bin/idle-clients/idle-clients" "$1" "$IDLE_CLIENT_DEADLINE" 2>>"$WORK_DIR/idle-clients.log"; }
    IDLE_HOLDER_PID="$HOLDER_PID"
    exec {IDLE_HOLDER_IN}>&"${HOLDER[1]}" {IDLE_HOLDER_OUT}<&"${HOLDER[0]}"
    STARTED_PIDS+=("$IDLE_HOLDER_PID")
}

# Sends command $1 to the holder and prints its one-line answer (bounded by IDLE_REPLY_TIMEOUT).
holder() {
    local reply
    printf '%s\n' "$1" >&"$IDLE_HOLDER_IN"
    read -r -t "$IDLE_REPLY_TIMEOUT" reply <&"$IDLE_HOLDER_OUT" || die "the connection holder did not answer '$1' (see $WORK_DIR/idle-clients.log)"
    printf '%s\n' "$reply"
}

stop_holder() {
    local reply
    reply="$(holder close)"
    [[ "$reply" == closed ]] || log "warning: the holder answered '$reply' to close"
    exec {IDLE_HOLDER_IN}>&- {IDLE_HOLDER_OUT}<&-
    wait "$IDLE_HOLDER_PID" 2>/dev/null || true
    forget_pid "$IDLE_HOLDER_PID"
}

# Measures server $1 (process $2, URL $3), then stops it; appends one tab-separated line to $WORK_DIR/idle.tsv:
# name, opened, failed, open ms, RSS before/after/settled (KiB), probe before (first median p99 max, µs), probe
# with the connections open (same), used ok, used failed.
measure_idle() {
    local name="$1" pid="$2" url="$3" port before after settled probe_idle probe_busy opened used
    port="${url##*:}"
    port="${port%%/*}"
    log "$name: warm-up ${IDLE_WARMUP}s at $LOADED_CONNECTIONS connections"
    run_wrk "$LOADED_CONNECTIONS" "$IDLE_WARMUP" "$url" "$WORK_DIR/wrk-$(file_safe "$name")-idle-warmup.txt"
    start_holder "$port"
    probe_idle="$(holder "probe $IDLE_PROBES")"
    [[ "$probe_idle" == probe\ * ]] || die "$name: the probe failed before any idle connection ($probe_idle)"
    before="$(settled_rss_kib "$pid")"
    log "$name: RSS $((before / 1024)) MiB; opening $IDLE_N idle connections"
    opened="$(holder "open $IDLE_N")"
    after="$(tree_rss_kib "$pid")"
    settled="$(settled_rss_kib "$pid")"
    probe_busy="$(holder "probe $IDLE_PROBES")"
    [[ "$probe_busy" == probe\ * ]] || die "$name: the probe failed with the idle connections open ($probe_busy)"
    used="$(holder use)"
    log "$name: $opened; RSS after $((after / 1024)) MiB, settled $((settled / 1024)) MiB; $used; $probe_busy"
    stop_holder
    stop_process "$pid"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "${opened#opened }" "$before" "$after" "$settled" \
        "${probe_idle#probe }" "${probe_busy#probe }" "${used#used }" | tr ' ' '\t' >>"$WORK_DIR/idle.tsv"
}

# The markdown table from idle.tsv; ratios against the nginx row.
render_idle_table() {
    awk -F'\t' -v n="$IDLE_N" '
        function ms(us) { return sprintf("%.3f", us / 1000) }
        {
            rows++; name[rows] = $1; ok[rows] = $2; failed[rows] = $3; seconds[rows] = $4 / 1000
            before[rows] = $5; after[rows] = $6; settled[rows] = $7
            kib[rows] = ($7 - $5) / n; kib_after[rows] = ($6 - $5) / n
            p50_idle[rows] = $9; p99_idle[rows] = $10; p50_busy[rows] = $13; p99_busy[rows] = $14; max_busy[rows] = $15
            used_ok[rows] = $16; used_failed[rows] = $17
            if ($1 == "nginx") ref = rows
        }
        END {
            printf "| server | idle connections (failed) | RSS before MiB | after opening | settled | KiB per idle connection | vs nginx | p50 / p99 of a GET, none idle (ms) | p50 / p99 / max with %d idle (ms) | answered again (failed) |\n", n
            print "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
            for (i = 1; i <= rows; i++) {
                printf "| %s | %d (%d) | %.1f | %.1f | %.1f | %.2f (%.2f right after opening) | %s | %s / %s | %s / %s / %s | %d (%d) |\n", \
                    name[i], ok[i], failed[i], before[i] / 1024, after[i] / 1024, settled[i] / 1024, kib[i], kib_after[i], \
                    (ref && kib[ref] > 0) ? sprintf("%.1f×", kib[i] / kib[ref]) : "n/a", \
                    ms(p50_idle[i]), ms(p99_idle[i]), ms(p50_busy[i]), ms(p99_busy[i]), ms(max_busy[i]), used_ok[i], used_failed[i]
            }
        }' "$WORK_DIR/idle.tsv"
}

idle_main() {
    idle_parse_args "$@"
    trap cleanup EXIT
    trap 'on_signal INT' INT
    trap 'on_signal TERM' TERM
    WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/gateway-idle.XXXXXX")"
    : >"$WORK_DIR/idle.tsv"
    require_tools
    raise_file_limit
    local load_before gateway_binary
    load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
    publish_project idle-clients "$REPO_ROOT/bench/IdleClients"
    gateway_binary="$IDLE_GATEWAY_BINARY"
    if [[ -z "$gateway_binary" ]]; then
        publish_project gateway "$REPO_ROOT/src/Gateway.Host"
        gateway_binary="$WORK_DIR/bin/gateway/gateway"
    fi
    [[ -z "$BASELINE_COMMIT" ]] || build_baseline_gateway
    start_upstream

    start_gateway gateway "$IDLE_GATEWAY_ENV" "$gateway_binary"
    measure_idle "${TARGET_NAMES[-1]}" "${TARGET_PIDS[-1]}" "${TARGET_URLS[-1]}"
    if [[ -n "$BASELINE_COMMIT" ]]; then
        start_gateway "gateway@$BASELINE_SHORT" "$IDLE_GATEWAY_ENV" "$WORK_DIR/bin/gateway-baseline/gateway"
        measure_idle "${TARGET_NAMES[-1]}" "${TARGET_PIDS[-1]}" "${TARGET_URLS[-1]}"
    fi
    start_nginx_proxy
    measure_idle "${TARGET_NAMES[-1]}" "${TARGET_PIDS[-1]}" "${TARGET_URLS[-1]}"

    printf '**Idle keep-alive connections** (%s, %s; load average before / after: %s / %s; `idle-connections.sh --connections %s%s`): each server fresh and alone on core %s after a %ss warm-up, %s connections opened by bench/IdleClients on core %s, each after one GET answered 200; KiB per idle connection = growth of RSS (VmRSS over the process tree, settled: unchanged within 64 KiB for 5 s) / connections; latency of %s sequential GETs on one more connection.\n\n' \
        "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(machine_description)" "$load_before" "$(cut -d' ' -f1-3 /proc/loadavg)" \
        "$IDLE_N" "${BASELINE_REF:+ --baseline-ref $BASELINE_REF}" "$PROXY_CORE" "$IDLE_WARMUP" "$IDLE_N" "$LOAD_CORE" "$IDLE_PROBES"
    render_idle_table
}

idle_main "$@"; exit
