#!/usr/bin/env bash
# bench/compare/run.sh - end-to-end comparison of the gateway against a plain YARP proxy, nginx and HAProxy.
#
# One command: publishes the gateway and the YARP baseline (Release) into a temp dir, starts an nginx
# upstream that answers a small JSON body and every proxy at once (each idle until it is loaded), warms
# each up, then measures them in rounds: in each round every proxy gets one wrk window at 64 connections
# (throughput) and one at 1 connection (latency), taking turns, while its CPU time is read from /proc.
# Besides the plain proxies: the gateway with a JWT-protected route (every request carries a valid RS256 token), and
# the gateway and nginx terminating TLS with the same certificate (wrk over https, keep-alive), and the gateway and nginx
# serving HTTP/2 to the client (h2load: cleartext with prior knowledge, and over TLS by ALPN) to the same HTTP/1.1 upstream.
# Rows show each figure's median over the rounds, and ratios are medians of the per-round ratios, so that
# drift of the machine's speed between minutes cancels out. The proxies are pinned to core 0; wrk and the
# upstream share core 1. Prints a markdown table and writes it to bench/compare/results/latest.md.
# With --baseline-ref, the gateway is also published from another commit and measured as one more row in the same
# rounds, so that a change can be quoted as a ratio against the build before it.
# Everything listens on 127.0.0.1 only, every step has a time limit, and every process it starts is
# stopped on exit, error or Ctrl-C.
# With --only including gateway-aot, the gateway is also published with NativeAOT and measured as one more row, and
# before the rounds both builds are started a few times in turn to time start-up to the first proxied 200.
# See bench/compare/README.md for how to read the numbers.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
readonly SCRIPT_DIR REPO_ROOT
readonly RESULTS_FILE="$SCRIPT_DIR/results/latest.md"
readonly ALL_TARGETS="upstream,gateway,gateway-jwt,gateway-tls,gateway-cache,gateway-h2,gateway-h2-tls,yarp,nginx,nginx-log,nginx-tls,nginx-cache,nginx-h2,nginx-h2-tls,haproxy"
# The rows measured with h2load (HTTP/2 to the proxy) instead of wrk.
readonly H2_TARGETS="gateway-h2,gateway-h2-tls,nginx-h2,nginx-h2-tls"
# Targets that run only when --only names them (a NativeAOT publish takes minutes).
readonly OPT_IN_TARGETS="gateway-aot"
readonly STARTUP_RUNS=5
readonly PROXY_CORE=0
readonly LOAD_CORE=1
readonly LOADED_CONNECTIONS=64
readonly UPSTREAM_BODY='{"status":"ok","service":"upstream"}'
readonly UPSTREAM_STATUS_PATH=/upstream-status
readonly READY_TIMEOUT_SECONDS=60
readonly BUILD_TIMEOUT_SECONDS=900
readonly GIT_TIMEOUT_SECONDS=120
readonly STOP_TIMEOUT_SECONDS=10
readonly QUIET_BUSY_PERCENT=10
readonly SINGLE_WARMUP=5
# For both .NET rows: start counting calls for tier-up at once. On one core the runtime otherwise waits 1 s after any
# new tier-0 compilation (its 100 ms delay times 10 for a single processor), so under load a .NET proxy takes 20-30 s
# to reach its steady cost; with this it takes about 5 s. The gateway sets it in its own runtime configuration; the
# variable gives YARP the same, so both are measured at their steady cost.
readonly DOTNET_ROW_ENV="DOTNET_TC_CallCountingDelayMs=0"

DURATION=5
ROUNDS=4
WARMUP=20
ONLY="$ALL_TARGETS"
INSTALL=0
GATEWAY_ENV=""
LABEL="gateway"
GATEWAY_VARIANTS=""
MAX_QUIET_WAIT=60
KEEP_WORK_DIR=0
LARGE_BODIES=0
BASELINE_REF=""
# Extra `dotnet publish` arguments for the gateway's build and its baseline's (at-once.sh --aot sets NativeAOT's).
GATEWAY_PUBLISH_ARGS=()
COMMAND_LINE="bench/compare/run.sh"
IDLE_CONNECTIONS=0
# The nginx proxy rows' worker_connections (idle-connections.sh raises it).
NGINX_WORKER_CONNECTIONS=4096

WORK_DIR=""
STARTED_PIDS=()
LAST_PID=""
UPSTREAM_PORT=""
UPSTREAM_PID=""
CLK_TCK="$(getconf CLK_TCK)"
# With --baseline-ref: the commit it names, its short hash and subject, the pairs of rows (current build, baseline
# build with the same environment) that the summary after the table compares, and what the current build was built from.
BASELINE_COMMIT=""
BASELINE_SHORT=""
BASELINE_SUBJECT=""
BASELINE_PAIRS=()
# Pairs of rows (row, the row it is compared with) that the summary after the table also compares: the JWT-protected
# gateway against the plain one, the gateway terminating TLS against nginx doing the same, the HTTP/2 rows against nginx's
# and against the gateway's HTTP/1.1 row.
ROW_PAIRS=()
CURRENT_BUILD=""

usage() {
    cat <<'EOF'
Usage: bench/compare/run.sh [options]

  --duration S            seconds of each measured wrk window (default 5)
  --rounds N              rounds of measurement; each proxy gets one window at 64 connections and one at 1
                          connection per round (default 4)
  --warmup S              seconds of each proxy's 64-connection warm-up before the rounds (default 20)
  --only LIST             comma-separated subset of: upstream,gateway,gateway-jwt,gateway-tls,gateway-cache,
                          gateway-h2,gateway-h2-tls,yarp,nginx,nginx-log,nginx-tls,nginx-cache,nginx-h2,nginx-h2-tls,
                          haproxy (default: all); gateway-jwt is the gateway with a JWT-protected route, nginx-log is
                          nginx writing a JSON access line per request as the gateway does, gateway-tls and
                          nginx-tls terminate TLS with the same certificate, gateway-cache and nginx-cache answer
                          from their response caches, the -h2 rows serve HTTP/2 to h2load (cleartext with prior
                          knowledge; -h2-tls by ALPN with the same certificate); gateway-aot (only
                          when named) is the gateway published with NativeAOT, measured beside the JIT build with
                          start-up to the first answer timed for both
  --install               as root, apt-get install what is missing (wrk, nginx, haproxy, h2load)
  --gateway-env "K=V ..." extra environment for every gateway row
  --label NAME            name of the gateway row (default "gateway")
  --gateway-variants "name:K=V K=V;name2:K=V"
                          measure one gateway row per variant, each with its own extra environment,
                          e.g. "default:;inline:GATEWAY_INLINE_COMPLETIONS=1 GATEWAY_INLINE_SCHEDULING=1"
  --baseline-ref REF      also publish the gateway from git commit-ish REF (e.g. HEAD~1, a hash, a branch) and
                          measure it in the same rounds as one more row, "LABEL@<short hash>", with the same
                          environment; after the table, one line gives this build against it (with
                          --gateway-variants: one baseline row and one line per variant)
  --max-quiet-wait S      before each warm-up and each round, wait up to S seconds for other work on the machine to stop
                          (default 60; 0 measures at once)
  --keep                  keep the temp dir (configs, logs, raw wrk output) and print where it is
  --idle-connections N    after the rounds, also run idle-connections.sh with N connections (memory per idle
                          keep-alive connection, gateway and nginx) with the gateway built here; its table is
                          appended to the results
  --large-bodies          after the rounds, also run large-bodies.sh (200 MB downloads and uploads) with the same
                          --rounds, --max-quiet-wait, --gateway-env and --baseline-ref; its table is appended to the
                          results
  -h, --help              this text

wrk and nginx (the upstream) are required; without HAProxy or h2load (nghttp2-client) their rows are skipped with a
message unless --install.
EOF
}

log() { printf '[compare] %s\n' "$*" >&2; }

die() {
    printf '[compare] error: %s\n' "$*" >&2
    exit 1
}

is_selected() { [[ ",$ONLY," == *",$1,"* ]]; }

# ---------------------------------------------------------------------------------------------------
# Options and prerequisites
# ---------------------------------------------------------------------------------------------------

require_positive_integer() {
    [[ "$2" =~ ^[1-9][0-9]*$ ]] || die "$1 needs a positive whole number of seconds, got '$2'"
}

require_env_assignments() {
    local word
    for word in $2; do
        [[ "$word" =~ ^[A-Za-z_][A-Za-z0-9_]*=[^[:space:]]*$ ]] || die "$1: '$word' is not a K=V assignment"
    done
}

parse_args() {
    while (($# > 0)); do
        case "$1" in
            --duration) DURATION="${2:?--duration needs a value}"; shift 2 ;;
            --rounds) ROUNDS="${2:?--rounds needs a value}"; shift 2 ;;
            --warmup) WARMUP="${2:?--warmup needs a value}"; shift 2 ;;
            --only) ONLY="${2:?--only needs a value}"; shift 2 ;;
            --install) INSTALL=1; shift ;;
            --gateway-env) GATEWAY_ENV="${2?--gateway-env needs a value}"; shift 2 ;;
            --label) LABEL="${2:?--label needs a value}"; shift 2 ;;
            --gateway-variants) GATEWAY_VARIANTS="${2:?--gateway-variants needs a value}"; shift 2 ;;
            --baseline-ref) BASELINE_REF="${2:?--baseline-ref needs a value}"; shift 2 ;;
            --max-quiet-wait) MAX_QUIET_WAIT="${2:?--max-quiet-wait needs a value}"; shift 2 ;;
            --keep) KEEP_WORK_DIR=1; shift ;;
            --idle-connections) IDLE_CONNECTIONS="${2:?--idle-connections needs a value}"; shift 2 ;;
            --large-bodies) LARGE_BODIES=1; shift ;;
            -h | --help) usage; exit 0 ;;
            *) usage >&2; die "unknown option '$1'" ;;
        esac
    done

    require_positive_integer --duration "$DURATION"
    [[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "--rounds needs a positive whole number, got '$ROUNDS'"
    require_positive_integer --warmup "$WARMUP"
    [[ "$MAX_QUIET_WAIT" =~ ^[0-9]+$ ]] || die "--max-quiet-wait needs a whole number of seconds, got '$MAX_QUIET_WAIT'"
    require_env_assignments --gateway-env "$GATEWAY_ENV"
    [[ "$IDLE_CONNECTIONS" =~ ^[0-9]+$ ]] || die "--idle-connections needs a whole number, got '$IDLE_CONNECTIONS'"
    ((IDLE_CONNECTIONS == 0)) || is_selected gateway || die "--idle-connections measures the gateway: --only must include gateway"
    [[ "$LABEL" =~ ^[A-Za-z0-9_.:+-]+$ ]] || die "--label may use letters, digits and _.:+- only"
    local target
    for target in ${ONLY//,/ }; do
        [[ ",$ALL_TARGETS,$OPT_IN_TARGETS," == *",$target,"* ]] || die "--only: unknown target '$target' (known: $ALL_TARGETS,$OPT_IN_TARGETS)"
    done
    ! is_selected gateway-aot || is_selected gateway \
        || die "gateway-aot is measured beside the JIT build: --only must include gateway"
    local variant
    if [[ -n "$GATEWAY_VARIANTS" ]]; then
        while IFS= read -r variant; do
            [[ "$variant" == *:* ]] || die "--gateway-variants: '$variant' is not name:K=V ..."
            [[ "${variant%%:*}" =~ ^[A-Za-z0-9_.+-]+$ ]] || die "--gateway-variants: bad variant name '${variant%%:*}'"
            require_env_assignments --gateway-variants "${variant#*:}"
        done < <(gateway_variant_list)
        [[ -n "$(gateway_variant_list)" ]] || die "--gateway-variants lists no variant"
    fi
    [[ -z "$BASELINE_REF" ]] || resolve_baseline_ref
}

# Resolves --baseline-ref to a commit now, so that a typo fails before anything is built.
resolve_baseline_ref() {
    is_selected gateway || die "--baseline-ref measures a second gateway build next to the current one: --only must include gateway"
    [[ "$BASELINE_REF" != -* ]] || die "--baseline-ref: '$BASELINE_REF' is not a commit"
    command -v git >/dev/null || die "--baseline-ref needs git"
    BASELINE_COMMIT="$(timeout "$GIT_TIMEOUT_SECONDS" git -C "$REPO_ROOT" rev-parse --verify --quiet "$BASELINE_REF^{commit}")" \
        || die "--baseline-ref: '$BASELINE_REF' is not a commit of $REPO_ROOT"
    BASELINE_SHORT="$(timeout "$GIT_TIMEOUT_SECONDS" git -C "$REPO_ROOT" rev-parse --short "$BASELINE_COMMIT")"
    BASELINE_SUBJECT="$(timeout "$GIT_TIMEOUT_SECONDS" git -C "$REPO_ROOT" log -1 --format=%s "$BASELINE_COMMIT")"
}

# What the current gateway rows are built from: "HEAD <short hash>", plus a note when what the gateway is built from
# (src/ and the files at the repository's root, such as Directory.Build.props) has uncommitted changes.
current_build_description() {
    local head dirty
    head="$(timeout "$GIT_TIMEOUT_SECONDS" git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || printf 'unknown')"
    dirty="$(timeout "$GIT_TIMEOUT_SECONDS" git -C "$REPO_ROOT" status --porcelain --untracked-files=no -- src ':(glob)*' 2>/dev/null \
        | head -n1 || true)"
    printf 'the working tree at HEAD %s%s\n' "$head" "${dirty:+ with uncommitted changes to src/ or the root build files}"
}

# The gateway rows to measure, one "name:K=V K=V" per line; a single unnamed row without variants.
gateway_variant_list() {
    if [[ -z "$GATEWAY_VARIANTS" ]]; then
        printf ':\n'
    else
        tr ';' '\n' <<<"$GATEWAY_VARIANTS" | sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' | grep -v '^$' || true
    fi
}

install_packages() {
    ((INSTALL == 1)) || return 1
    [[ "$(id -u)" == 0 ]] || { log "--install needs root; not installing $*"; return 1; }
    log "installing $* with apt-get (output in $WORK_DIR/install.log)"
    run_bounded 300 "$WORK_DIR/apt-update.log" apt-get update -qq || log "apt-get update failed; trying the install anyway"
    run_bounded 600 "$WORK_DIR/install.log" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" \
        || { tail -n 20 "$WORK_DIR/install.log" >&2; return 1; }
}

# True when --only selects one of the HTTP/2 rows.
any_h2_selected() {
    local target
    for target in ${H2_TARGETS//,/ }; do
        is_selected "$target" && return 0
    done
    return 1
}

drop_h2_targets() {
    local target
    for target in ${H2_TARGETS//,/ }; do
        ONLY=",$ONLY,"
        ONLY="${ONLY//,$target,/,}"
    done
}

require_tools() {
    local tool
    for tool in taskset timeout curl pgrep getconf dotnet; do
        command -v "$tool" >/dev/null || die "'$tool' is required but not installed"
    done
    if ! command -v wrk >/dev/null; then
        install_packages wrk || die "wrk is not installed: apt-get install -y wrk (or rerun as root with --install)"
    fi
    if ! command -v nginx >/dev/null; then
        install_packages nginx-light || die "nginx is not installed and is needed for the upstream: apt-get install -y nginx-light (or --install)"
    fi
    if is_selected haproxy && ! command -v haproxy >/dev/null; then
        install_packages haproxy || { log "haproxy is not installed: skipping its row (rerun as root with --install to include it)"; ONLY="${ONLY//haproxy/}"; }
    fi
    if any_h2_selected && ! command -v h2load >/dev/null; then
        install_packages nghttp2-client || { log "h2load is not installed: skipping the HTTP/2 rows (apt-get install -y nghttp2-client, or --install)"; drop_h2_targets; }
    fi
    (($(nproc) >= 2)) || die "needs at least 2 cores (proxy on core $PROXY_CORE, wrk and upstream on core $LOAD_CORE)"
}

# ---------------------------------------------------------------------------------------------------
# Processes: start pinned, wait until ready, stop, and clean up on exit
# ---------------------------------------------------------------------------------------------------

# Starts "$@" in the background pinned to core $2, output to $WORK_DIR/$1.log; sets LAST_PID.
start_pinned() {
    local name="$1" core="$2"
    shift 2
    taskset -c "$core" "$@" >"$WORK_DIR/$name.log" 2>&1 &
    LAST_PID=$!
    STARTED_PIDS+=("$LAST_PID")
}

forget_pid() {
    local pid="$1" kept=() p
    for p in "${STARTED_PIDS[@]}"; do
        [[ "$p" == "$pid" ]] || kept+=("$p")
    done
    STARTED_PIDS=("${kept[@]}")
}

# True while the process exists and is not a zombie waiting to be reaped.
is_running() {
    local stat
    stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
    [[ "${stat##*) }" != Z* ]]
}

# SIGTERM, then SIGKILL after STOP_TIMEOUT_SECONDS; the process's own children are signalled too.
# shellcheck disable=SC2317 # called by cleanup, from the EXIT trap
stop_process() {
    local pid="$1" tree waited=0
    tree="$(process_tree "$pid")"
    if [[ -z "$tree" ]]; then
        wait "$pid" 2>/dev/null || true
        forget_pid "$pid"
        return 0
    fi
    # shellcheck disable=SC2086 # one pid per word
    kill -TERM $tree 2>/dev/null || true
    while is_running "$pid" && ((waited < STOP_TIMEOUT_SECONDS * 10)); do
        sleep 0.1
        waited=$((waited + 1))
    done
    # shellcheck disable=SC2086 # one pid per word
    kill -KILL $tree 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    forget_pid "$pid"
}

# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
    local status=$?
    trap - EXIT INT TERM
    local pid
    for pid in "${STARTED_PIDS[@]}"; do
        stop_process "$pid"
    done
    if [[ -n "$WORK_DIR" && -d "$WORK_DIR" ]]; then
        if ((status == 0 && KEEP_WORK_DIR == 0)); then
            rm -rf "$WORK_DIR"
        elif ((status == 0)); then
            log "configs, logs and raw wrk output kept in $WORK_DIR"
        else
            log "failed (exit $status); logs and configs kept in $WORK_DIR"
        fi
    fi
    exit "$status"
}

# shellcheck disable=SC2317 # called by the INT and TERM traps
on_signal() {
    log "interrupted by $1; stopping everything started"
    exit 130
}

# Waits until $1 answers 200 while process $2 is alive; fails with the tail of its log otherwise. The bench's own
# certificate is self-signed, so https is not verified here. $4 is how curl speaks to it (see curl_protocol_options).
wait_until_ready() {
    local url="$1" pid="$2" name="$3" tool="${4:-wrk}" deadline=$((SECONDS + READY_TIMEOUT_SECONDS))
    while ((SECONDS < deadline)); do
        is_running "$pid" || { tail -n 20 "$WORK_DIR/$name.log" >&2; die "$name exited during start-up"; }
        # shellcheck disable=SC2046 # the options are words on purpose
        [[ "$(curl -sk $(curl_protocol_options "$tool" "$url") -o /dev/null -m 2 -w '%{http_code}' "$url" || true)" == 200 ]] && return 0
        sleep 0.2
    done
    tail -n 20 "$WORK_DIR/$name.log" >&2
    die "$name did not answer 200 on $url within ${READY_TIMEOUT_SECONDS}s"
}

# A proxy must hand back the upstream's exact body before it is measured (sent header $3, if any); one measured
# with h2load ($4) must answer it over HTTP/2.
verify_proxies_upstream_body() {
    local url="$1" name="$2" header="${3:-}" tool="${4:-wrk}" body version
    # shellcheck disable=SC2046 # the options are words on purpose
    body="$(curl -sk $(curl_protocol_options "$tool" "$url") -m 5 ${header:+-H "$header"} "$url" || true)"
    [[ "$body" == "$UPSTREAM_BODY" ]] || die "$name answered '$body' on $url instead of the upstream body"
    if [[ "$tool" == h2load ]]; then
        # shellcheck disable=SC2046
        version="$(curl -sk $(curl_protocol_options "$tool" "$url") -m 5 -o /dev/null -w '%{http_version}' "$url" || true)"
        [[ "$version" == 2 ]] || die "$name answered over HTTP/$version on $url instead of HTTP/2"
    fi
}

# curl's options to speak as load generator $1 does to URL $2: HTTP/2 for h2load (with prior knowledge on http://, by
# ALPN on https://), curl's default (HTTP/1.1) for wrk.
curl_protocol_options() {
    [[ "$1" == h2load ]] || return 0
    [[ "$2" == https://* ]] && printf -- '--http2\n' || printf -- '--http2-prior-knowledge\n'
}

# Connections the upstream nginx has accepted so far (its stub_status counter).
upstream_accepted_connections() {
    curl -s -m 5 "http://127.0.0.1:$UPSTREAM_PORT$UPSTREAM_STATUS_PATH" | awk 'NR == 3 { print $1 }' | grep -E '^[0-9]+$' \
        || die "could not read the upstream's connection counter"
}

# A loopback TCP port no socket uses: not listened on, and not the local port of any connection (one in TIME-WAIT after
# a run of many client connections still makes a listener's bind fail).
free_port() {
    local port tries=0
    while ((tries < 200)); do
        port=$((20000 + RANDOM % 30000))
        if [[ -z "$(ss -Htan "sport = :$port" 2>/dev/null)" ]] && ! (: <"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            printf '%s\n' "$port"
            return 0
        fi
        tries=$((tries + 1))
    done
    die "no free loopback port found"
}

# ---------------------------------------------------------------------------------------------------
# /proc readings: CPU ticks and peak RSS of a process tree, busy time of each core
# ---------------------------------------------------------------------------------------------------

# The pid and all its descendants, one per line (threads are part of their process's /proc/<pid>/stat).
process_tree() {
    local pid="$1" child
    [[ -d "/proc/$pid" ]] || return 0
    printf '%s\n' "$pid"
    for child in $(pgrep -P "$pid" || true); do
        process_tree "$child"
    done
}

# utime+stime (clock ticks) summed over the tree; fields 14 and 15 after the ")" that ends the name.
tree_cpu_ticks() {
    local total=0 pid stat fields
    for pid in $(process_tree "$1"); do
        stat="$(cat "/proc/$pid/stat" 2>/dev/null)" || continue
        read -r -a fields <<<"${stat##*) }"
        total=$((total + fields[11] + fields[12]))
    done
    printf '%s\n' "$total"
}

# VmHWM (KiB) summed over the tree.
tree_peak_rss_kib() {
    local total=0 pid kib
    for pid in $(process_tree "$1"); do
        kib="$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)"
        total=$((total + ${kib:-0}))
    done
    printf '%s\n' "$total"
}

# "busy total task" jiffies of each of the two cores: total is user..steal (guest time is already in
# user), busy is total less idle and iowait, task is the user+nice+system time that processes account for.
core_jiffies() {
    awk -v a="cpu$PROXY_CORE" -v b="cpu$LOAD_CORE" '
        $1 == a || $1 == b { total = 0; for (i = 2; i <= 9; i++) total += $i; j[$1] = (total - $5 - $6) " " total " " ($2 + $3 + $4) }
        END { print j[a], j[b] }' /proc/stat
}

# Waits (at most MAX_QUIET_WAIT seconds) until the two cores are nearly idle, since the machine may be
# shared: other work during a run skews it. Samples one second at a time; the proxy and upstream idle here.
wait_for_quiet_machine() {
    local deadline=$((SECONDS + MAX_QUIET_WAIT)) before after busy warned=0
    while :; do
        before="$(core_jiffies)"
        sleep 1
        after="$(core_jiffies)"
        busy="$(awk -v b="$before" -v a="$after" 'BEGIN { split(b, x, " "); split(a, y, " ")
            printf "%.0f", 100 * ((y[1] - x[1]) + (y[4] - x[4])) / ((y[2] - x[2]) > 0 ? (y[2] - x[2]) : 1) }')"
        ((busy <= QUIET_BUSY_PERCENT)) && return 0
        if ((SECONDS >= deadline)); then
            log "warning: the cores are still ${busy}% busy (of one core) with other work after ${MAX_QUIET_WAIT}s; measuring anyway"
            return 0
        fi
        if ((warned == 0)); then
            log "other work keeps the cores ${busy}% busy (of one core); waiting up to ${MAX_QUIET_WAIT}s for quiet"
            warned=1
        fi
    done
}

# CPU ticks of this shell's finished children (wrk among them), from the `times` builtin, which must run
# in this shell and not in a $(...) subshell.
shell_children_ticks() {
    times >"$WORK_DIR/times.txt"
    awk -v hz="$CLK_TCK" 'NR == 2 {
        t = 0
        for (i = 1; i <= 2; i++) { v = $i; m = v; sub(/m.*/, "", m); sub(/^[0-9]+m/, "", v); sub(/s$/, "", v); t += m * 60 + v }
        printf "%d\n", t * hz }' "$WORK_DIR/times.txt"
}

# Sets SNAPSHOT to "busy0 total0 task0 busy1 total1 task1 proxy upstream wrk" (jiffies/ticks), where
# proxy is process tree $1 and upstream the upstream nginx (0 when the upstream is what is measured).
take_cpu_snapshot() {
    local pid="$1" children upstream=0
    shell_children_ticks >"$WORK_DIR/children.txt"
    children="$(<"$WORK_DIR/children.txt")"
    [[ "$pid" == "$UPSTREAM_PID" ]] || upstream="$(tree_cpu_ticks "$UPSTREAM_PID")"
    SNAPSHOT="$(core_jiffies) $(tree_cpu_ticks "$pid") $upstream $children"
}

# From two snapshots and a request count: "proxy CPU µs/req, busy % core0, busy % core1, other CPU %",
# other being CPU that processes other than the proxy, the upstream and wrk used, in % of one core.
cpu_figures() {
    awk -v b="$1" -v a="$2" -v requests="$3" -v hz="$CLK_TCK" 'BEGIN {
        split(b, x, " "); split(a, y, " ")
        for (i = 1; i <= 9; i++) d[i] = y[i] - x[i]
        ours = d[7] + d[8] + d[9]
        other = (d[3] + d[6] - ours) * 100 / (d[2] > 0 ? d[2] : 1)
        printf "%.2f %.0f %.0f %.0f\n", d[7] * 1e6 / hz / requests, 100 * d[1] / (d[2] > 0 ? d[2] : 1), 100 * d[4] / (d[5] > 0 ? d[5] : 1), (other > 0 ? other : 0)
    }'
}

# ---------------------------------------------------------------------------------------------------
# wrk runs and their parsing
# ---------------------------------------------------------------------------------------------------

# Runs "$@" under `timeout $1`, output to file $2, in the background so that Ctrl-C reaches the traps
# at once; returns the command's status.
run_bounded() {
    local seconds="$1" out="$2" status=0
    shift 2
    timeout "$seconds" "$@" >"$out" 2>&1 &
    local pid=$!
    STARTED_PIDS+=("$pid")
    wait "$pid" || status=$?
    forget_pid "$pid"
    return "$status"
}

# wrk pinned to the load core; output to file $4; every request carries header $5 when given.
run_wrk() {
    local connections="$1" seconds="$2" url="$3" out="$4" header="${5:-}"
    run_bounded $((seconds + 30)) "$out" taskset -c "$LOAD_CORE" \
        wrk -t1 -c"$connections" -d"${seconds}s" --latency ${header:+-H "$header"} "$url" \
        || { cat "$out" >&2; die "wrk failed against $url"; }
}

# h2load pinned to the load core, as wrk runs: one thread, $1 connections each with one request in flight (-m 1, so a
# window at 64 connections has 64 requests in flight, as wrk's does), for $2 seconds; summary to file $4, one line per
# request (start, status, µs) to $4.requests, from which the percentiles are read (h2load prints none).
run_h2load() {
    local connections="$1" seconds="$2" url="$3" out="$4" header="${5:-}"
    run_bounded $((seconds + 30)) "$out" taskset -c "$LOAD_CORE" \
        h2load -t1 -c"$connections" -m1 -D"$seconds" --log-file="$out.requests" ${header:+-H "$header"} "$url" \
        || { cat "$out" >&2; die "h2load failed against $url"; }
}

# Load generator $1 (wrk or h2load) with the arguments of run_wrk.
run_load() {
    local tool="$1"
    shift
    if [[ "$tool" == h2load ]]; then run_h2load "$@"; else run_wrk "$@"; fi
}

# The figures of a window from load generator $1's output $2 (for percentiles $3 such as "50%", in microseconds).
load_requests() {
    if [[ "$1" == h2load ]]; then awk '/^requests:/ { print $6; exit }' "$2"; else wrk_requests "$2"; fi
}

load_requests_per_second() {
    if [[ "$1" == h2load ]]; then awk '/^finished in/ { printf "%.2f\n", $4; exit }' "$2"; else wrk_requests_per_second "$2"; fi
}

load_latency_us() {
    if [[ "$1" == h2load ]]; then h2load_latency_us "$2.requests" "$3"; else wrk_latency_us "$2" "$3"; fi
}

# Failed, errored and timed-out requests plus 4xx and 5xx answers for h2load; wrk's count for wrk.
load_error_count() {
    if [[ "$1" == h2load ]]; then
        awk '/^requests:/ { n += $10 + $12 + $14 } /^status codes:/ { n += $7 + $9 } END { print n + 0 }' "$2"
    else
        wrk_error_count "$2"
    fi
}

# Percentile $2 ("50%", "99%") of the request durations (third column, µs) in h2load's per-request log $1.
h2load_latency_us() {
    local pct="${2%\%}"
    sort -n -k3,3 "$1" | awk -F'\t' -v p="$pct" '
        { d[NR] = $3 }
        END {
            if (NR == 0) { print "nan"; exit }
            i = int(NR * p / 100 + 0.999999); if (i < 1) i = 1; if (i > NR) i = NR
            printf "%.1f\n", d[i]
        }'
}

# Latency of percentile $2 ("50%", "99%") from wrk output $1, in microseconds.
wrk_latency_us() {
    awk -v pct="$2" '
        $1 == pct && $2 ~ /^[0-9.]+(us|ms|s|m)$/ {
            v = $2; unit = v; sub(/^[0-9.]+/, "", unit); sub(/[a-z]+$/, "", v)
            f = (unit == "us") ? 1 : (unit == "ms") ? 1000 : (unit == "s") ? 1000000 : 60000000
            printf "%.1f\n", v * f; found = 1; exit
        }
        END { if (!found) print "nan" }' "$1"
}

wrk_requests() { awk '/ requests in / { print $1; exit }' "$1"; }

wrk_requests_per_second() { awk '/^Requests\/sec:/ { print $2; exit }' "$1"; }

# Non-2xx responses plus socket errors reported by wrk.
wrk_error_count() {
    awk '/Non-2xx or 3xx responses:/ { n += $NF }
         /Socket errors:/ { for (i = 3; i <= NF; i++) { v = $i; gsub(/,/, "", v); if (v ~ /^[0-9]+$/) n += v } }
         END { print n + 0 }' "$1"
}

# ---------------------------------------------------------------------------------------------------
# Measuring one target
# ---------------------------------------------------------------------------------------------------

# One measured run of load generator $7 (wrk unless given) for $3 seconds at $2 connections against $4 (with header $6,
# if any) with its output to $5, reading CPU of process tree $1; sets RUN_FIGURES to
# "requests cpu_us_per_request busy0 busy1 other_percent upstream_connections_opened".
measured_run() {
    local pid="$1" connections="$2" seconds="$3" url="$4" out="$5" header="${6:-}" tool="${7:-wrk}" before requests accepts_before accepts_after
    accepts_before="$(upstream_accepted_connections)"
    take_cpu_snapshot "$pid"
    before="$SNAPSHOT"
    run_load "$tool" "$connections" "$seconds" "$url" "$out" "$header"
    take_cpu_snapshot "$pid"
    accepts_after="$(upstream_accepted_connections)"
    requests="$(load_requests "$tool" "$out")"
    [[ "${requests:-0}" -gt 0 ]] || die "$tool completed no requests against $url (see $out)"
    # The status request itself is one accepted connection.
    RUN_FIGURES="$requests $(cpu_figures "$before" "$SNAPSHOT" "$requests") $((accepts_after - accepts_before - 1))"
}

# The proxies under measurement, in row order: kind (reference, gateway or proxy), name, URL, process, the header
# every request to it carries (or nothing), and the load generator that measures it (wrk, or h2load for HTTP/2).
TARGET_KINDS=()
TARGET_NAMES=()
TARGET_URLS=()
TARGET_PIDS=()
TARGET_HEADERS=()
TARGET_TOOLS=()

register_target() {
    TARGET_KINDS+=("$1")
    TARGET_NAMES+=("$2")
    TARGET_URLS+=("$3")
    TARGET_PIDS+=("$4")
    TARGET_HEADERS+=("${5:-}")
    TARGET_TOOLS+=("${6:-wrk}")
}

file_safe() { printf '%s\n' "${1//[^A-Za-z0-9_.-]/_}"; }

# Each target in turn: a warm-up at 64 connections, then a short one at 1 connection. Going from 64 connections to
# one changes which code paths are hot (every read now waits), so a JIT-compiled proxy recompiles for a few seconds;
# the second warm-up keeps that out of the first round.
warm_up_targets() {
    local i safe
    for i in "${!TARGET_NAMES[@]}"; do
        safe="$(file_safe "${TARGET_NAMES[$i]}")"
        wait_for_quiet_machine
        log "${TARGET_NAMES[$i]}: warm-up ${WARMUP}s at $LOADED_CONNECTIONS connections, ${SINGLE_WARMUP}s at 1"
        run_load "${TARGET_TOOLS[$i]}" "$LOADED_CONNECTIONS" "$WARMUP" "${TARGET_URLS[$i]}" "$WORK_DIR/wrk-$safe-warmup.txt" "${TARGET_HEADERS[$i]}"
        run_load "${TARGET_TOOLS[$i]}" 1 "$SINGLE_WARMUP" "${TARGET_URLS[$i]}" "$WORK_DIR/wrk-$safe-warmup-c1.txt" "${TARGET_HEADERS[$i]}"
    done
}

# ROUNDS rounds; in each, every target gets a window at 64 connections, then every target one at 1 connection. The
# order rotates from round to round, so no target is always measured first or last. Appends one tab-separated line
# per window to $WORK_DIR/windows.tsv: kind, name, round, connections, then the measurements.
measure_rounds() {
    local round offset connections k i safe out tool count="${#TARGET_NAMES[@]}"
    local -a f
    for ((round = 1; round <= ROUNDS; round++)); do
        wait_for_quiet_machine
        offset=$(((round - 1) % count))
        for connections in "$LOADED_CONNECTIONS" 1; do
            for ((k = 0; k < count; k++)); do
                i=$(((k + offset) % count))
                safe="$(file_safe "${TARGET_NAMES[$i]}")"
                out="$WORK_DIR/wrk-$safe-r$round-c$connections.txt"
                tool="${TARGET_TOOLS[$i]}"
                measured_run "${TARGET_PIDS[$i]}" "$connections" "$DURATION" "${TARGET_URLS[$i]}" "$out" "${TARGET_HEADERS[$i]}" "$tool"
                read -r -a f <<<"$RUN_FIGURES"
                printf '%s\t' "${TARGET_KINDS[$i]}" "${TARGET_NAMES[$i]}" "$round" "$connections" \
                    "$(load_requests_per_second "$tool" "$out")" "$(load_latency_us "$tool" "$out" 50%)" "$(load_latency_us "$tool" "$out" 99%)" \
                    "${f[1]}" "${f[2]}" "${f[3]}" "${f[4]}" "${f[5]}" >>"$WORK_DIR/windows.tsv"
                printf '%s\n' "$(load_error_count "$tool" "$out")" >>"$WORK_DIR/windows.tsv"
                log "round $round/$ROUNDS, ${TARGET_NAMES[$i]} @$connections: $(load_requests_per_second "$tool" "$out") req/s, p50 $(load_latency_us "$tool" "$out" 50%) µs, ${f[1]} µs CPU/req; other processes used ${f[4]}% of a core"
            done
        done
    done
}

# Peak RSS of each target after all rounds, one "name<TAB>KiB" line each, to $WORK_DIR/rss.tsv.
record_peak_rss() {
    local i
    for i in "${!TARGET_NAMES[@]}"; do
        printf '%s\t%s\n' "${TARGET_NAMES[$i]}" "$(tree_peak_rss_kib "${TARGET_PIDS[$i]}")" >>"$WORK_DIR/rss.tsv"
    done
}

# ---------------------------------------------------------------------------------------------------
# Build, upstream and the proxies
# ---------------------------------------------------------------------------------------------------

# Publishes project directory $2 (Release) to $WORK_DIR/bin/$1, build log in $WORK_DIR/build-$1.log; further
# arguments go to dotnet publish. A NativeAOT publish that warned about trimming or AOT fails (its code could behave
# otherwise than the JIT's).
publish_project() {
    local name="$1" project="$2" out="$WORK_DIR/bin/$1"
    shift 2
    log "publishing $project (Release${*:+ $*}) to $out"
    run_bounded "$BUILD_TIMEOUT_SECONDS" "$WORK_DIR/build-$name.log" \
        dotnet publish "$project" -c Release -o "$out" "$@" \
        --nologo -v quiet --disable-build-servers -p:UseSharedCompilation=false \
        || { tail -n 30 "$WORK_DIR/build-$name.log" >&2; die "publishing $project failed"; }
    [[ " $* " != *" -p:PublishAot=true "* ]] || ! grep -Eq 'warning (IL|AOT)[0-9]+' "$WORK_DIR/build-$name.log" \
        || die "the NativeAOT publish has trimming or AOT warnings: see $WORK_DIR/build-$name.log"
}

# True when --only selects a row that runs the gateway's JIT build.
gateway_build_needed() {
    local target
    for target in gateway gateway-jwt gateway-tls gateway-cache gateway-h2 gateway-h2-tls; do
        is_selected "$target" && return 0
    done
    return 1
}

# Publishes the .NET rows that are selected: the gateway and the YARP baseline, and with --baseline-ref the
# gateway of that commit.
build_binaries() {
    local project
    [[ -z "$BASELINE_COMMIT" ]] || CURRENT_BUILD="$(current_build_description)"
    if gateway_build_needed; then
        publish_project gateway "$REPO_ROOT/src/Gateway.Host" "${GATEWAY_PUBLISH_ARGS[@]}"
    fi
    if is_selected yarp; then
        publish_project yarp "$REPO_ROOT/bench/Baselines/YarpBaseline"
    fi
    if is_selected gateway-aot; then
        publish_project gateway-aot "$REPO_ROOT/src/Gateway.Host" "${NATIVE_AOT_PUBLISH_ARGS[@]}"
    fi
    [[ -z "$BASELINE_COMMIT" ]] || build_baseline_gateway
}

# The `dotnet publish` arguments of a NativeAOT build.
readonly NATIVE_AOT_PUBLISH_ARGS=(-r linux-x64 -p:PublishAot=true)

# The gateway as of commit BASELINE_COMMIT: its tree is exported with `git archive` (the repository, its index and
# the working tree are left alone) into $WORK_DIR/baseline-src and published the same way as the current gateway.
build_baseline_gateway() {
    local src="$WORK_DIR/baseline-src"
    log "baseline: $BASELINE_REF is $BASELINE_COMMIT (\"$BASELINE_SUBJECT\"); the current gateway is $CURRENT_BUILD"
    log "exporting $BASELINE_SHORT to $src"
    mkdir -p "$src"
    run_bounded "$GIT_TIMEOUT_SECONDS" "$WORK_DIR/baseline-archive.log" \
        git -C "$REPO_ROOT" archive --format=tar -o "$WORK_DIR/baseline-src.tar" "$BASELINE_COMMIT" \
        || { cat "$WORK_DIR/baseline-archive.log" >&2; die "git archive of $BASELINE_COMMIT failed"; }
    run_bounded "$GIT_TIMEOUT_SECONDS" "$WORK_DIR/baseline-extract.log" tar -xf "$WORK_DIR/baseline-src.tar" -C "$src" \
        || { cat "$WORK_DIR/baseline-extract.log" >&2; die "extracting the tree of $BASELINE_COMMIT failed"; }
    rm -f "$WORK_DIR/baseline-src.tar"
    [[ -d "$src/src/Gateway.Host" ]] || die "--baseline-ref: commit $BASELINE_SHORT has no src/Gateway.Host"
    publish_project gateway-baseline "$src/src/Gateway.Host" "${GATEWAY_PUBLISH_ARGS[@]}"
    [[ -x "$WORK_DIR/bin/gateway-baseline/gateway" ]] \
        || die "--baseline-ref: publishing $BASELINE_SHORT produced no 'gateway' executable (an older assembly name?)"
}

# nginx directives that keep every file nginx writes inside directory $1.
nginx_private_paths() {
    local dir="$1"
    mkdir -p "$dir/tmp"
    chmod 755 "$dir" "$dir/tmp"
    cat <<EOF
pid $dir/nginx.pid;
error_log $dir/error.log warn;
EOF
}

nginx_http_private_paths() {
    local dir="$1" kind
    for kind in client_body proxy fastcgi uwsgi scgi; do
        printf '    %s_temp_path %s/tmp/%s;\n' "$kind" "$dir" "$kind"
    done
}

start_upstream() {
    local dir="$WORK_DIR/upstream"
    mkdir -p "$dir"
    UPSTREAM_PORT="$(free_port)"
    cat >"$dir/nginx.conf" <<EOF
# Upstream for bench/compare: answers every request with a small JSON body, keep-alive without limit.
daemon off;
master_process on;
worker_processes 1;
$(nginx_private_paths "$dir")
events { worker_connections 4096; }
http {
$(nginx_http_private_paths "$dir")
    access_log off;
    keepalive_requests 1000000000;
    keepalive_timeout 300s;
    server {
        listen 127.0.0.1:$UPSTREAM_PORT;
        location / {
            default_type application/json;
            return 200 '$UPSTREAM_BODY';
        }
        location = $UPSTREAM_STATUS_PATH {
            stub_status;
        }
    }
}
EOF
    start_pinned upstream "$LOAD_CORE" nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log"
    UPSTREAM_PID="$LAST_PID"
    wait_until_ready "http://127.0.0.1:$UPSTREAM_PORT/" "$UPSTREAM_PID" upstream
    verify_proxies_upstream_body "http://127.0.0.1:$UPSTREAM_PORT/" upstream
    log "upstream nginx on 127.0.0.1:$UPSTREAM_PORT (core $LOAD_CORE), body ${#UPSTREAM_BODY} bytes"
}

# Starts gateway executable $3 with extra environment $2 (K=V words); its row is named $1. Without $4 it serves one
# catch-all route to the upstream; with $4 it serves that configuration file, on a $5 (http, https or h2c) listener,
# every request carries header $6, and load generator $7 (wrk unless given) measures it.
start_gateway() {
    local name="$1" extra_env="$2" binary="$3" config="${4:-}" scheme="${5:-http}" header="${6:-}" tool="${7:-wrk}" port admin source url
    port="$(free_port)"
    admin="$(free_port)"
    source="GATEWAY_UPSTREAM=http://127.0.0.1:$UPSTREAM_PORT"
    [[ -z "$config" ]] || source="GATEWAY_CONFIG=$config"
    # shellcheck disable=SC2086 # extra_env is validated K=V words, split on purpose
    start_pinned "$name" "$PROXY_CORE" env \
        "$source" \
        GATEWAY_LISTEN="$scheme://127.0.0.1:$port" \
        GATEWAY_ADMIN_LISTEN="http://127.0.0.1:$admin" \
        $DOTNET_ROW_ENV $GATEWAY_ENV $extra_env \
        "$binary"
    local pid="$LAST_PID"
    wait_until_ready "http://127.0.0.1:$admin/healthz" "$pid" "$name"
    url="${scheme/#h2c/http}://127.0.0.1:$port/"
    verify_proxies_upstream_body "$url" "$name" "$header" "$tool"
    log "$name: env ${GATEWAY_ENV:+$GATEWAY_ENV }${extra_env:-(defaults)}${config:+, configuration $config}"
    register_target gateway "$name" "$url" "$pid" "$header" "$tool"
}

# The bench's TLS certificate and key (RSA 2048, self-signed for 127.0.0.1), shared by gateway-tls and nginx-tls;
# made once, in $WORK_DIR/tls.
make_tls_certificate() {
    local dir="$WORK_DIR/tls"
    [[ -f "$dir/cert.pem" ]] && return 0
    mkdir -p "$dir"
    timeout 30 openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
        -keyout "$dir/key.pem" -out "$dir/cert.pem" >"$dir/openssl.log" 2>&1 \
        || { cat "$dir/openssl.log" >&2; die "openssl could not make the TLS certificate"; }
}

# base64url without padding, of stdin.
base64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

# The gateway with every request authenticated: a route requiring a JWT checked against a PEM public key, and a
# token for it signed with openssl (RS256, valid for a day) that wrk sends with every request.
start_gateway_jwt() {
    local dir="$WORK_DIR/gateway-jwt" head claims now token
    mkdir -p "$dir"
    { timeout 30 openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dir/signing.key" \
        && timeout 30 openssl pkey -in "$dir/signing.key" -pubout -out "$dir/signing.pub"; } >"$dir/openssl.log" 2>&1 \
        || { cat "$dir/openssl.log" >&2; die "openssl could not make the JWT signing key"; }
    cat >"$dir/gateway.json" <<EOF
{
  "authentication": { "bench": { "jwt": { "issuer": "https://bench.invalid/", "audiences": ["bench"], "keys": ["signing.pub"], "algorithms": ["RS256"] } } },
  "routes": [ { "id": "all", "match": { "path": "/{*path}" }, "cluster": "upstream", "policies": { "authentication": ["bench"] } } ],
  "clusters": { "upstream": { "destinations": ["http://127.0.0.1:$UPSTREAM_PORT"] } }
}
EOF
    now="$(date +%s)"
    head="$(printf '{"alg":"RS256","typ":"JWT"}' | base64url)"
    claims="$(printf '{"iss":"https://bench.invalid/","aud":"bench","sub":"bench-client","iat":%d,"exp":%d}' "$now" $((now + 86400)) | base64url)"
    token="$head.$claims.$(printf '%s' "$head.$claims" | openssl dgst -sha256 -sign "$dir/signing.key" -binary | base64url)"
    start_gateway gateway-jwt "" "$WORK_DIR/bin/gateway/gateway" "$dir/gateway.json" http "Authorization: Bearer $token"
}

# The gateway terminating TLS on its listener with the bench's certificate, forwarding to the upstream over plain HTTP;
# row $1 (gateway-tls unless given) measured with load generator $2 (wrk unless given: h2load picks h2 by ALPN).
start_gateway_tls() {
    local name="${1:-gateway-tls}" tool="${2:-wrk}"
    local dir="$WORK_DIR/$name"
    make_tls_certificate
    mkdir -p "$dir"
    cat >"$dir/gateway.json" <<EOF
{
  "tls": { "certificates": [ { "cert": "$WORK_DIR/tls/cert.pem", "key": "$WORK_DIR/tls/key.pem" } ] },
  "routes": [ { "id": "all", "match": { "path": "/{*path}" }, "cluster": "upstream" } ],
  "clusters": { "upstream": { "destinations": ["http://127.0.0.1:$UPSTREAM_PORT"] } }
}
EOF
    start_gateway "$name" "" "$WORK_DIR/bin/gateway/gateway" "$dir/gateway.json" https "" "$tool"
}

# The gateway answering from its response cache: the upstream's answer (which says nothing about caching) stored for
# 60 s, so every measured request is a hit.
start_gateway_cache() {
    local dir="$WORK_DIR/gateway-cache"
    mkdir -p "$dir"
    cat >"$dir/gateway.json" <<EOF
{
  "routes": [ { "id": "all", "match": { "path": "/{*path}" }, "cluster": "upstream", "policies": { "cache": "bench" } } ],
  "clusters": { "upstream": { "destinations": ["http://127.0.0.1:$UPSTREAM_PORT"] } },
  "caches": { "bench": { "ttl": "60s" } }
}
EOF
    start_gateway gateway-cache "" "$WORK_DIR/bin/gateway/gateway" "$dir/gateway.json" http
    verify_cache_hit "$(target_url gateway-cache)" gateway-cache
}

# Fails unless a second request to $1 is answered from the proxy's cache (X-Cache: HIT); $2 names the row.
verify_cache_hit() {
    local url="$1" name="$2"
    curl -s -o /dev/null -m 5 "$url" || true
    curl -s -D - -o /dev/null -m 5 "$url" | tr -d '\r' | grep -qix 'x-cache: hit' || die "$name did not answer a repeated request from its cache"
}

# The URL of the registered row $1.
target_url() {
    local i
    for i in "${!TARGET_NAMES[@]}"; do
        [[ "${TARGET_NAMES[$i]}" == "$1" ]] && { printf '%s\n' "${TARGET_URLS[$i]}"; return 0; }
    done
}

# The name of the first gateway row (the row ratios are taken against).
first_gateway_row() {
    local i
    for i in "${!TARGET_KINDS[@]}"; do
        [[ "${TARGET_KINDS[$i]}" == gateway ]] && { printf '%s\n' "${TARGET_NAMES[$i]}"; return 0; }
    done
}

# One gateway row per variant (a single one without variants); with --baseline-ref, each followed by the baseline
# build with the same environment, named LABEL@<short hash>[:variant].
start_gateway_variants() {
    local variant name current baseline
    while IFS= read -r variant; do
        name="${variant%%:*}"
        current="${LABEL}${name:+:$name}"
        start_gateway "$current" "${variant#*:}" "$WORK_DIR/bin/gateway/gateway"
        [[ -n "$BASELINE_COMMIT" ]] || continue
        baseline="${LABEL}@${BASELINE_SHORT}${name:+:$name}"
        start_gateway "$baseline" "${variant#*:}" "$WORK_DIR/bin/gateway-baseline/gateway"
        BASELINE_PAIRS+=("$current" "$baseline")
    done < <(gateway_variant_list)
}

# Milliseconds from starting gateway executable $2 (pinned to the proxy core, catch-all route to the upstream) to its
# first 200 through the upstream, polled with curl from the load core, into STARTUP_MS; the process is stopped after.
# $1 names its log.
STARTUP_MS=0
startup_milliseconds() {
    local name="$1" binary="$2" port admin start now pid
    port="$(free_port)"
    admin="$(free_port)"
    start="$(date +%s%N)"
    # shellcheck disable=SC2086 # DOTNET_ROW_ENV and GATEWAY_ENV are K=V words, split on purpose
    start_pinned "$name" "$PROXY_CORE" env GATEWAY_UPSTREAM="http://127.0.0.1:$UPSTREAM_PORT" \
        GATEWAY_LISTEN="http://127.0.0.1:$port" GATEWAY_ADMIN_LISTEN="http://127.0.0.1:$admin" GATEWAY_ACCESS_LOG=off \
        $DOTNET_ROW_ENV $GATEWAY_ENV "$binary"
    pid="$LAST_PID"
    while :; do
        is_running "$pid" || { tail -n 20 "$WORK_DIR/$name.log" >&2; die "$name exited during start-up"; }
        if [[ "$(taskset -c "$LOAD_CORE" curl -s -o /dev/null -m 1 -w '%{http_code}' "http://127.0.0.1:$port/" || true)" == 200 ]]; then
            break
        fi
        now="$(date +%s%N)"
        (((now - start) / 1000000000 < READY_TIMEOUT_SECONDS)) || die "$name gave no 200 within ${READY_TIMEOUT_SECONDS}s"
    done
    now="$(date +%s%N)"
    stop_process "$pid"
    STARTUP_MS=$(((now - start) / 1000000))
}

# Start-up to the first answer of the JIT and the NativeAOT builds, STARTUP_RUNS each, taking turns; one line with the
# medians, their ratio and every run, kept for the results file in STARTUP_LINE.
STARTUP_LINE=""
measure_startup() {
    local i jit=() aot=() line
    log "start-up to the first proxied 200: $STARTUP_RUNS runs of each build, taking turns"
    for ((i = 1; i <= STARTUP_RUNS; i++)); do
        startup_milliseconds "startup-jit-$i" "$WORK_DIR/bin/gateway/gateway"
        jit+=("$STARTUP_MS")
        startup_milliseconds "startup-aot-$i" "$WORK_DIR/bin/gateway-aot/gateway"
        aot+=("$STARTUP_MS")
    done
    line="$(printf '%s\n' "${jit[*]}" "${aot[*]}" | awk '
        function median(s,   n, v, i, j, t) {
            n = split(s, v, " ")
            for (i = 2; i <= n; i++) { t = v[i]; for (j = i - 1; j >= 1 && v[j] + 0 > t + 0; j--) v[j + 1] = v[j]; v[j + 1] = t }
            return (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
        }
        NR == 1 { j = $0 } NR == 2 { a = $0 }
        END { printf "**start-up to the first proxied 200** (median of %d runs each, taking turns; curl polls as fast as it can start): gateway (JIT) %d ms, gateway-aot %d ms, ratio %.2f×; runs: JIT %s ms, AOT %s ms", \
                  split(j, x, " "), median(j), median(a), median(a) / median(j), j, a }')"
    STARTUP_LINE="$line"
    log "$line"
}

start_yarp() {
    local port
    port="$(free_port)"
    # shellcheck disable=SC2086 # one K=V word
    start_pinned yarp "$PROXY_CORE" env $DOTNET_ROW_ENV \
        YARP_UPSTREAM="http://127.0.0.1:$UPSTREAM_PORT" YARP_LISTEN="http://127.0.0.1:$port" \
        "$WORK_DIR/bin/yarp/yarp-baseline"
    local pid="$LAST_PID"
    wait_until_ready "http://127.0.0.1:$port/" "$pid" yarp
    verify_proxies_upstream_body "http://127.0.0.1:$port/" yarp
    register_target proxy yarp "http://127.0.0.1:$port/" "$pid"
}

# nginx as the proxy, row "nginx"; with $1 = log, row "nginx-log", also writing a JSON access line per request as the
# gateway does; with $1 = tls, row "nginx-tls", terminating TLS with the bench's certificate
# (TLS 1.2 and 1.3, as the gateway); with $1 = cache, row "nginx-cache", answering from proxy_cache (200s kept 60 s);
# with $1 = h2, row "nginx-h2", serving HTTP/2 with prior knowledge (cleartext); with $1 = h2-tls, row "nginx-h2-tls",
# serving HTTP/2 by ALPN over TLS. The HTTP/2 rows are measured with h2load; keepalive_requests and keepalive_timeout
# also bound nginx's HTTP/2 connections, so they stay open through the run as the others do.
start_nginx_proxy() {
    local name=nginx scheme=http listen_options="" tls_directives="" cache_zone="" cache_directives="" tool=wrk port
    local log_directives="access_log off;"
    if [[ "${1:-}" == tls || "${1:-}" == h2-tls ]]; then
        make_tls_certificate
        name=nginx-tls scheme=https listen_options=" ssl"
        tls_directives="ssl_certificate $WORK_DIR/tls/cert.pem; ssl_certificate_key $WORK_DIR/tls/key.pem; ssl_protocols TLSv1.2 TLSv1.3;"
    fi
    if [[ "${1:-}" == h2 || "${1:-}" == h2-tls ]]; then
        name="nginx-${1}" listen_options="$listen_options http2" tool=h2load
    fi
    if [[ "${1:-}" == cache ]]; then
        # nginx's workers (not root) read and write the cache: the temp dir must let them through to it.
        chmod 711 "$WORK_DIR"
        mkdir -p "$WORK_DIR/nginx-cache-proxy/cache"
        chmod 777 "$WORK_DIR/nginx-cache-proxy/cache"
        name=nginx-cache
        cache_zone="proxy_cache_path $WORK_DIR/nginx-cache-proxy/cache keys_zone=bench:10m max_size=64m;"
        cache_directives="proxy_cache bench; proxy_cache_valid 200 60s; add_header X-Cache \$upstream_cache_status;"
    fi
    if [[ "${1:-}" == log ]]; then
        name=nginx-log
        log_directives="$(nginx_json_access_log "$WORK_DIR/$name-proxy/access.log")"
    fi
    local dir="$WORK_DIR/$name-proxy"
    mkdir -p "$dir"
    port="$(free_port)"
    cat >"$dir/nginx.conf" <<EOF
# nginx as a keep-alive reverse proxy to the bench/compare upstream: one worker, pooled upstream connections.
daemon off;
master_process on;
worker_processes 1;
$(nginx_private_paths "$dir")
events { worker_connections $NGINX_WORKER_CONNECTIONS; }
http {
$(nginx_http_private_paths "$dir")
    $log_directives
    keepalive_requests 1000000000;
    keepalive_timeout 300s;
    $cache_zone
    upstream backend {
        server 127.0.0.1:$UPSTREAM_PORT;
        keepalive 128;
        keepalive_requests 1000000000;
        keepalive_timeout 300s;
    }
    server {
        listen 127.0.0.1:$port$listen_options;
        $tls_directives
        location / {
            proxy_pass http://backend;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            $cache_directives
        }
    }
}
EOF
    start_pinned "$name-proxy" "$PROXY_CORE" nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log"
    local pid="$LAST_PID"
    wait_until_ready "$scheme://127.0.0.1:$port/" "$pid" "$name-proxy" "$tool"
    verify_proxies_upstream_body "$scheme://127.0.0.1:$port/" "$name" "" "$tool"
    [[ "$name" != nginx-cache ]] || verify_cache_hit "$scheme://127.0.0.1:$port/" "$name"
    register_target proxy "$name" "$scheme://127.0.0.1:$port/" "$pid" "" "$tool"
}

# nginx directives writing to file $1 one JSON line per request with the fields of the gateway's access log line
# (docs/observability.md), the two times in nginx's own unit (seconds, in fields named for it), batched as the
# gateway's log is: written once 64 KiB have gathered or 100 ms have passed.
nginx_json_access_log() {
    local file="$1"
    cat <<'EOF'
log_format gateway_json escape=json '{"time":"$time_iso8601","request_id":"$request_id","trace_id":"$request_id",'
        '"client_ip":"$remote_addr","method":"$request_method","path":"$uri$is_args$args",'
        '"protocol":"$server_protocol","route":"upstream","status":$status,"upstream":"$upstream_addr",'
        '"request_time":$request_time,"upstream_response_time":$upstream_response_time,'
        '"bytes_in":$request_length,"bytes_out":$bytes_sent,"consumer":null}';
EOF
    printf '    access_log %s gateway_json buffer=64k flush=100ms;\n' "$file"
}

start_haproxy() {
    local dir="$WORK_DIR/haproxy" port
    mkdir -p "$dir"
    port="$(free_port)"
    cat >"$dir/haproxy.cfg" <<EOF
# HAProxy as a keep-alive reverse proxy to the bench/compare upstream: one thread, connections reused.
global
    nbthread 1
    maxconn 4096
    pidfile $dir/haproxy.pid

defaults
    mode http
    option http-keep-alive
    http-reuse always
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    timeout http-keep-alive 300s

frontend public
    bind 127.0.0.1:$port
    default_backend upstream

backend upstream
    # Idle upstream connections are kept between measurement windows, as the other proxies keep theirs (by default
    # HAProxy closes half of them every 5 s).
    server upstream 127.0.0.1:$UPSTREAM_PORT pool-purge-delay 300s
EOF
    timeout 30 haproxy -c -q -f "$dir/haproxy.cfg" >&2 || die "haproxy rejected $dir/haproxy.cfg"
    start_pinned haproxy "$PROXY_CORE" haproxy -db -f "$dir/haproxy.cfg"
    local pid="$LAST_PID"
    wait_until_ready "http://127.0.0.1:$port/" "$pid" haproxy
    verify_proxies_upstream_body "http://127.0.0.1:$port/" haproxy
    register_target proxy haproxy "http://127.0.0.1:$port/" "$pid"
}

# The upstream alone: wrk straight to nginx, measuring the upstream's own CPU (a ceiling, not a proxy).
add_upstream_alone() {
    register_target reference "upstream alone (reference)" "http://127.0.0.1:$UPSTREAM_PORT/" "$UPSTREAM_PID"
}

# ---------------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------------

# The markdown table from windows.tsv and rss.tsv. Each figure is the median over the rounds; each ratio is the median
# of the per-round ratios against the first gateway row, with their range, so that drift of the machine's speed from
# one minute to the next cancels out. With --baseline-ref, one line per pair of rows in BASELINE_PAIRS follows the
# table: the current build against the baseline build, as the median and range of the per-round ratios.
render_table() {
    awk -F'\t' -v conns="$LOADED_CONNECTIONS" -v rounds="$ROUNDS" -v pairs="${BASELINE_PAIRS[*]}" -v rowpairs="${ROW_PAIRS[*]}" '
        function median(n,   i, j, t) {
            for (i = 2; i <= n; i++) { t = v[i]; for (j = i - 1; j >= 1 && v[j] > t; j--) v[j + 1] = v[j]; v[j + 1] = t }
            return (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
        }
        # Median over the rounds of field f at c connections, or -1 when no window measured it.
        function stat(name, c, f,   r, n) {
            n = 0; delete v
            for (r = 1; r <= rounds; r++) if ((name, c, f, r) in val) v[++n] = val[name, c, f, r]
            return n ? median(n) : -1
        }
        function total(name, c, f,   r, sum) {
            sum = 0
            for (r = 1; r <= rounds; r++) if ((name, c, f, r) in val) sum += val[name, c, f, r]
            return sum
        }
        # "median× (low–high)" of the per-round ratios of field f at c connections of row name against row ref.
        function ratio_to(name, ref, c, f,   r, n, x, lo, hi) {
            n = 0; delete v
            for (r = 1; r <= rounds; r++) {
                if (!((name, c, f, r) in val) || !((ref, c, f, r) in val) || val[ref, c, f, r] <= 0) continue
                x = val[name, c, f, r] / val[ref, c, f, r]; v[++n] = x
                if (n == 1 || x < lo) lo = x
                if (n == 1 || x > hi) hi = x
            }
            if (n == 0) return "n/a"
            return (n == 1) ? sprintf("%.2f×", x) : sprintf("%.2f× (%.2f–%.2f)", median(n), lo, hi)
        }
        function ratio(name, c, f) { return ratio_to(name, base, c, f) }
        function ms(us) { return (us < 0) ? "n/a" : sprintf("%.3f", us / 1000) }
        FNR == NR { rss[$1] = $2; next }
        {
            if (!($2 in kind)) { kind[$2] = $1; order[++rows] = $2 }
            if ($1 == "gateway" && base == "") base = $2
            for (f = 5; f <= 13; f++) if ($f != "nan") val[$2, $4, f, $3] = $f
        }
        END {
            if (base == "") base = "gateway"
            printf "| proxy | req/s @%d | p50 @%d (ms) | p99 @%d (ms) | p50 @1 (ms) | p99 @1 (ms) | CPU µs/req @%d | CPU µs/req @1 | peak RSS MiB | req/s vs %s | CPU/req vs %s | p50 @1 vs %s | busy %% core0/core1 @%d | other CPU %% @%d/@1 | upstream conns opened @%d/@1 | errors |\n", \
                conns, conns, conns, conns, base, base, base, conns, conns, conns
            print "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
            for (i = 1; i <= rows; i++) {
                n = order[i]
                printf "| %s | %.0f | %s | %s | %s | %s | %.1f | %.1f | %.1f | %s | %s | %s | %.0f / %.0f | %.0f / %.0f | %d / %d | %d |\n", \
                    n, stat(n, conns, 5), ms(stat(n, conns, 6)), ms(stat(n, conns, 7)), ms(stat(n, 1, 6)), ms(stat(n, 1, 7)), \
                    stat(n, conns, 8), stat(n, 1, 8), rss[n] / 1024, ratio(n, conns, 5), \
                    (kind[n] == "reference") ? "—" : ratio(n, conns, 8), ratio(n, 1, 6), \
                    stat(n, conns, 9), stat(n, conns, 10), stat(n, conns, 11), stat(n, 1, 11), \
                    total(n, conns, 12), total(n, 1, 12), total(n, conns, 13) + total(n, 1, 13)
            }
            np = split(pairs, p, " ")
            if (np > 0) print ""
            for (i = 1; i + 1 <= np; i += 2) {
                printf "**%s against the baseline %s** (median of the per-round ratios, range in brackets): CPU µs/req @%d %s, req/s @%d %s, p99 @%d %s, p50 @1 %s\n", \
                    p[i], p[i + 1], conns, ratio_to(p[i], p[i + 1], conns, 8), conns, ratio_to(p[i], p[i + 1], conns, 5), \
                    conns, ratio_to(p[i], p[i + 1], conns, 7), ratio_to(p[i], p[i + 1], 1, 6)
                if (i + 2 <= np) print ""
            }
            nr = split(rowpairs, q, " ")
            for (i = 1; i + 1 <= nr; i += 2) {
                print ""
                printf "**%s against %s** (median of the per-round ratios, range in brackets): CPU µs/req @%d %s, req/s @%d %s, p99 @%d %s, p50 @1 %s\n", \
                    q[i], q[i + 1], conns, ratio_to(q[i], q[i + 1], conns, 8), conns, ratio_to(q[i], q[i + 1], conns, 5), \
                    conns, ratio_to(q[i], q[i + 1], conns, 7), ratio_to(q[i], q[i + 1], 1, 6)
            }
        }' "$WORK_DIR/rss.tsv" "$WORK_DIR/windows.tsv"
}

machine_description() {
    local model
    model="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
    printf '%s cores, %s, %s GiB RAM, %s' "$(nproc)" "${model:-unknown CPU}" \
        "$(awk '/^MemTotal:/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo)" "$(uname -sr)"
}

# shellcheck disable=SC2016 # the backticks are markdown, not command substitution
write_results_file() {
    local table="$1" load_before="$2"
    mkdir -p "$(dirname "$RESULTS_FILE")"
    {
        printf '# bench/compare results\n\n'
        printf -- '- date: %s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
        printf -- '- machine: %s\n' "$(machine_description)"
        printf -- '- load average (1/5/15 min) before / after: %s / %s\n' "$load_before" "$(cut -d' ' -f1-3 /proc/loadavg)"
        printf -- '- command: `%s`\n' "$COMMAND_LINE"
        printf -- '- tools: %s; %s%s; %s\n' "$(wrk -v 2>&1 | head -n1 | cut -d' ' -f1-2)" "$(nginx -v 2>&1 | sed 's/^nginx version: //')" \
            "$(command -v haproxy >/dev/null && printf '; HAProxy %s' "$(haproxy -v 2>/dev/null | awk 'NR == 1 { print $3 }')")" \
            ".NET $(dotnet --list-runtimes | awk '/Microsoft.NETCore.App/ { v = $2 } END { print v }')$(any_h2_selected && printf '; %s (HTTP/2 rows: -t1 -m1)' "$(h2load --version 2>/dev/null | head -n1)")"
        printf -- '- setup: proxies pinned to core %s, all running at once (each idle until loaded); wrk (-t1) and the nginx upstream (1 worker) pinned to core %s; upstream body %s bytes; each proxy warmed up %ss at %s connections and %ss at 1; then %s rounds, each giving every proxy in turn a %ss window at %s connections, then a %ss window at 1 connection\n' \
            "$PROXY_CORE" "$LOAD_CORE" "${#UPSTREAM_BODY}" "$WARMUP" "$LOADED_CONNECTIONS" "$SINGLE_WARMUP" "$ROUNDS" "$DURATION" "$LOADED_CONNECTIONS" "$DURATION"
        printf -- '- .NET rows (gateway, yarp) run with `%s`\n' "$DOTNET_ROW_ENV"
        if [[ -n "$GATEWAY_ENV" ]]; then
            printf -- '- gateway environment: `%s`\n' "$GATEWAY_ENV"
        fi
        if [[ -n "$GATEWAY_VARIANTS" ]]; then
            printf -- '- gateway variants: `%s`\n' "$GATEWAY_VARIANTS"
        fi
        if [[ -n "$BASELINE_COMMIT" ]]; then
            printf -- '- baseline: the `%s@%s` rows are commit %s (`--baseline-ref %s`: "%s"), published and run the same way; the other gateway rows are %s\n' \
                "$LABEL" "$BASELINE_SHORT" "$BASELINE_COMMIT" "$BASELINE_REF" "$BASELINE_SUBJECT" "$CURRENT_BUILD"
        fi
        printf '\n%s\n\n' "$table"
        [[ -z "$STARTUP_LINE" ]] || printf '%s\n\n' "$STARTUP_LINE"
        printf 'Each figure is the median over the %s rounds; each ratio is the median of the per-round ratios against the first gateway row, with their range in brackets. CPU µs/req is the user+system CPU time of the proxy process and its children during a window, divided by the requests wrk completed (for the reference row: the upstream nginx itself). Peak RSS is VmHWM summed over the process tree after all rounds. Upstream connections opened and errors are totals over the rounds. See bench/compare/README.md.\n' "$ROUNDS"
    } >"$RESULTS_FILE"
}

# The command line as typed, arguments quoted where the shell needs it, for the results file.
remember_command_line() {
    local arg
    for arg in "$@"; do
        if [[ "$arg" =~ ^[A-Za-z0-9_./:=,+-]+$ ]]; then
            COMMAND_LINE+=" $arg"
        else
            COMMAND_LINE+=" \"$arg\""
        fi
    done
}

main() {
    remember_command_line "$@"
    parse_args "$@"
    trap cleanup EXIT
    trap 'on_signal INT' INT
    trap 'on_signal TERM' TERM
    WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/gateway-compare.XXXXXX")"
    : >"$WORK_DIR/windows.tsv"
    : >"$WORK_DIR/rss.tsv"
    require_tools

    local load_before
    load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
    if awk -v l="${load_before%% *}" 'BEGIN { exit !(l > 0.5) }'; then
        log "warning: load average is $load_before before starting; other work on this machine skews the numbers"
    fi

    if gateway_build_needed || is_selected yarp; then
        build_binaries
    fi
    start_upstream

    if is_selected upstream; then
        add_upstream_alone
    fi
    if is_selected gateway; then
        start_gateway_variants
    fi
    if is_selected gateway-aot; then
        measure_startup
        start_gateway gateway-aot "" "$WORK_DIR/bin/gateway-aot/gateway"
        ROW_PAIRS+=(gateway-aot "$(first_gateway_row)")
    fi
    if is_selected gateway-jwt; then
        start_gateway_jwt
        ! is_selected gateway || ROW_PAIRS+=(gateway-jwt "$(first_gateway_row)")
    fi
    if is_selected gateway-tls; then
        start_gateway_tls
    fi
    if is_selected gateway-cache; then
        start_gateway_cache
        ! is_selected gateway || ROW_PAIRS+=(gateway-cache "$(first_gateway_row)")
    fi
    if is_selected gateway-h2; then
        start_gateway gateway-h2 "" "$WORK_DIR/bin/gateway/gateway" "" h2c "" h2load
        ! is_selected gateway || ROW_PAIRS+=(gateway-h2 "$(first_gateway_row)")
    fi
    if is_selected gateway-h2-tls; then
        start_gateway_tls gateway-h2-tls h2load
        ! is_selected gateway-tls || ROW_PAIRS+=(gateway-h2-tls gateway-tls)
    fi
    if is_selected yarp; then
        start_yarp
    fi
    if is_selected nginx; then
        start_nginx_proxy
    fi
    if is_selected nginx-log; then
        start_nginx_proxy log
    fi
    if is_selected nginx-tls; then
        start_nginx_proxy tls
        ! is_selected gateway-tls || ROW_PAIRS+=(gateway-tls nginx-tls)
    fi
    if is_selected nginx-cache; then
        start_nginx_proxy cache
        ! is_selected gateway-cache || ROW_PAIRS+=(gateway-cache nginx-cache)
    fi
    if is_selected nginx-h2; then
        start_nginx_proxy h2
        ! is_selected gateway-h2 || ROW_PAIRS+=(gateway-h2 nginx-h2)
    fi
    if is_selected nginx-h2-tls; then
        start_nginx_proxy h2-tls
        ! is_selected gateway-h2-tls || ROW_PAIRS+=(gateway-h2-tls nginx-h2-tls)
    fi
    if is_selected haproxy; then
        start_haproxy
    fi
    ((${#TARGET_NAMES[@]} > 0)) || die "--only selects nothing to measure"
    warm_up_targets
    measure_rounds
    record_peak_rss

    local table
    table="$(render_table)"
    write_results_file "$table" "$load_before"
    if ((IDLE_CONNECTIONS > 0)); then
        "$SCRIPT_DIR/idle-connections.sh" --connections "$IDLE_CONNECTIONS" --gateway-binary "$WORK_DIR/bin/gateway/gateway" \
            ${GATEWAY_ENV:+--gateway-env "$GATEWAY_ENV"} >"$WORK_DIR/idle.md" || die "idle-connections.sh failed"
        printf '\n%s\n' "$(<"$WORK_DIR/idle.md")" >>"$RESULTS_FILE"
        table+=$'\n\n'"$(<"$WORK_DIR/idle.md")"
    fi
    if ((LARGE_BODIES == 1)); then
        "$SCRIPT_DIR/large-bodies.sh" --rounds "$ROUNDS" --max-quiet-wait "$MAX_QUIET_WAIT" \
            ${GATEWAY_ENV:+--gateway-env "$GATEWAY_ENV"} ${BASELINE_REF:+--baseline-ref "$BASELINE_REF"} \
            >"$WORK_DIR/large-bodies.md" || die "large-bodies.sh failed"
        printf '\n%s\n' "$(<"$WORK_DIR/large-bodies.md")" >>"$RESULTS_FILE"
        table+=$'\n\n'"$(<"$WORK_DIR/large-bodies.md")"
    fi
    printf '\n%s\n\n%s%sWritten to %s\n' "$table" "$STARTUP_LINE" "${STARTUP_LINE:+$'\n\n'}" "${RESULTS_FILE#"$REPO_ROOT"/}"
}

# On one line, so that bash has read all it will run even if this file is edited during a run. Sourced (as
# idle-connections.sh does, for its helpers), it only defines them.
[[ "${BASH_SOURCE[0]}" != "$0" ]] || { main "$@"; exit; }
