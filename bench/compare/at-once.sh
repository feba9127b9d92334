#!/usr/bin/env bash
# bench/compare/at-once.sh - CPU per request of the gateway built here against the gateway of another commit, or against
# nginx (with --against), both loaded at the same time.
#
# One command: publishes both gateways (as run.sh does), starts the nginx upstream and both gateways pinned to core 0,
# warms them up, then measures in rounds: in each, one wrk per gateway (on core 1, --connections each) runs for the same
# --duration seconds at the same time, and each gateway's CPU time (from /proc) is divided by the requests its own wrk
# completed. With --against nginx or nginx-log, the other process is nginx set up as run.sh's row of that name. The
# machine's speed drifts between windows by more than a change worth a few percent, and both builds see
# the same drift this way; which wrk starts first alternates. With --control a second process of the baseline build is
# measured against the first in the same way, in a window of its own each round: what "no difference" reads as.
# Prints one line per round and a markdown summary: the median of the per-round ratios (current / baseline), their
# range and mean. Everything listens on 127.0.0.1 only, every step has a time limit, and every process it starts is
# stopped on exit, error or Ctrl-C (run.sh's helpers, sourced below). See bench/compare/README.md.
set -euo pipefail

AT_ONCE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# run.sh's helpers (processes, ports, /proc readings, quiet machine, publishing, the baseline build, cleanup), without
# its main.
# shellcheck source-path=SCRIPTDIR source=run.sh
source "$AT_ONCE_DIR/run.sh"

# run.sh's log and die, with this script's prefix.
log() { printf '[at-once] %s\n' "$*" >&2; }

die() {
    printf '[at-once] error: %s\n' "$*" >&2
    exit 1
}

AT_ONCE_ROUNDS=10
AT_ONCE_CONNECTIONS=32
AT_ONCE_CONTROL=0
AT_ONCE_AOT=0
AT_ONCE_AGAINST=""

at_once_usage() {
    cat <<'EOF'
Usage: bench/compare/at-once.sh (--baseline-ref REF | --against nginx|nginx-log) [options]

  --baseline-ref REF      the commit-ish whose gateway the one built here is measured against
  --against ROW           measure the gateway built here against nginx instead, as run.sh's row ROW sets it up:
                          nginx (access log off) or nginx-log (a JSON access line per request, as the gateway writes)
  --rounds N              rounds (default 10)
  --duration S            seconds of each window, both gateways loaded at once (default 5)
  --connections N         wrk connections against each gateway (default 32)
  --aot                   publish the gateways with NativeAOT, as shipped (a publish takes minutes), instead of JIT
  --control               also measure a second process of the baseline build against the first, each round
                          (with --baseline-ref)
  --gateway-env "K=V ..." extra environment for every gateway process
  --max-quiet-wait S      before each round, wait up to S seconds for other work on the machine to stop (default 60)
  --keep                  keep the temp dir (configs, logs, wrk output)
  -h, --help              this text

Needs wrk, nginx, taskset, git and the .NET SDK.
EOF
}

at_once_parse_args() {
    while (($# > 0)); do
        case "$1" in
            --baseline-ref) BASELINE_REF="${2:?--baseline-ref needs a value}"; shift 2 ;;
            --rounds) AT_ONCE_ROUNDS="${2:?--rounds needs a value}"; shift 2 ;;
            --duration) DURATION="${2:?--duration needs a value}"; shift 2 ;;
            --connections) AT_ONCE_CONNECTIONS="${2:?--connections needs a value}"; shift 2 ;;
            --against) AT_ONCE_AGAINST="${2:?--against needs a value}"; shift 2 ;;
            --control) AT_ONCE_CONTROL=1; shift ;;
            --aot) AT_ONCE_AOT=1; shift ;;
            --gateway-env) GATEWAY_ENV="${2?--gateway-env needs a value}"; shift 2 ;;
            --max-quiet-wait) MAX_QUIET_WAIT="${2:?--max-quiet-wait needs a value}"; shift 2 ;;
            --keep) KEEP_WORK_DIR=1; shift ;;
            -h | --help) at_once_usage; exit 0 ;;
            *) at_once_usage >&2; die "unknown option '$1'" ;;
        esac
    done
    [[ -n "$BASELINE_REF" || -n "$AT_ONCE_AGAINST" ]] || { at_once_usage >&2; die "--baseline-ref or --against is required"; }
    [[ -z "$BASELINE_REF" || -z "$AT_ONCE_AGAINST" ]] || die "--baseline-ref and --against each name what to measure against: give one"
    [[ -z "$AT_ONCE_AGAINST" || "$AT_ONCE_AGAINST" == nginx || "$AT_ONCE_AGAINST" == nginx-log ]] \
        || die "--against: '$AT_ONCE_AGAINST' is not nginx or nginx-log"
    ((AT_ONCE_CONTROL == 0)) || [[ -n "$BASELINE_REF" ]] || die "--control measures a second baseline gateway: it needs --baseline-ref"
    [[ "$AT_ONCE_ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "--rounds needs a positive whole number, got '$AT_ONCE_ROUNDS'"
    [[ "$AT_ONCE_CONNECTIONS" =~ ^[1-9][0-9]*$ ]] || die "--connections needs a positive whole number, got '$AT_ONCE_CONNECTIONS'"
    require_positive_integer --duration "$DURATION"
    [[ "$MAX_QUIET_WAIT" =~ ^[0-9]+$ ]] || die "--max-quiet-wait needs a whole number of seconds, got '$MAX_QUIET_WAIT'"
    require_env_assignments --gateway-env "$GATEWAY_ENV"
    # run.sh's build_binaries then publishes the gateway alone, and the baseline's.
    ONLY=gateway
    ((AT_ONCE_AOT == 0)) || GATEWAY_PUBLISH_ARGS=("${NATIVE_AOT_PUBLISH_ARGS[@]}")
    [[ -z "$BASELINE_REF" ]] || resolve_baseline_ref
}

# wrk against $2 on the load core for DURATION seconds, in the background, output to file $3; sets LAST_PID.
start_wrk() {
    local connections="$1" url="$2" out="$3"
    timeout $((DURATION + 30)) taskset -c "$LOAD_CORE" wrk -t1 -c"$connections" -d"${DURATION}s" "$url" >"$out" 2>&1 &
    LAST_PID=$!
    STARTED_PIDS+=("$LAST_PID")
}

# One window: targets $1 and $2 (indexes) loaded at once, $1's wrk starting first when $3 is 1; sets WINDOW_RESULT to
# "ratio a_us b_us": the CPU per request of $1 over that of $2, and each one's CPU µs per request.
WINDOW_RESULT=""
window_at_once() {
    local a="$1" b="$2" a_first="$3" tag="$4" before_a before_b after_a after_b pid_a pid_b req_a req_b out_a out_b
    out_a="$WORK_DIR/wrk-$tag-a.txt"
    out_b="$WORK_DIR/wrk-$tag-b.txt"
    before_a="$(tree_cpu_ticks "${TARGET_PIDS[$a]}")"
    before_b="$(tree_cpu_ticks "${TARGET_PIDS[$b]}")"
    if ((a_first)); then
        start_wrk "$AT_ONCE_CONNECTIONS" "${TARGET_URLS[$a]}" "$out_a"; pid_a="$LAST_PID"
        start_wrk "$AT_ONCE_CONNECTIONS" "${TARGET_URLS[$b]}" "$out_b"; pid_b="$LAST_PID"
    else
        start_wrk "$AT_ONCE_CONNECTIONS" "${TARGET_URLS[$b]}" "$out_b"; pid_b="$LAST_PID"
        start_wrk "$AT_ONCE_CONNECTIONS" "${TARGET_URLS[$a]}" "$out_a"; pid_a="$LAST_PID"
    fi
    wait "$pid_a" || { cat "$out_a" >&2; die "wrk failed against ${TARGET_URLS[$a]}"; }
    wait "$pid_b" || { cat "$out_b" >&2; die "wrk failed against ${TARGET_URLS[$b]}"; }
    forget_pid "$pid_a"
    forget_pid "$pid_b"
    after_a="$(tree_cpu_ticks "${TARGET_PIDS[$a]}")"
    after_b="$(tree_cpu_ticks "${TARGET_PIDS[$b]}")"
    req_a="$(wrk_requests "$out_a")"
    req_b="$(wrk_requests "$out_b")"
    [[ "${req_a:-0}" -gt 0 && "${req_b:-0}" -gt 0 ]] || die "a window completed no requests (see $out_a and $out_b)"
    [[ "$(wrk_error_count "$out_a")" == 0 && "$(wrk_error_count "$out_b")" == 0 ]] \
        || die "a window had errors or non-2xx answers (see $out_a and $out_b)"
    WINDOW_RESULT="$(awk -v ta=$((after_a - before_a)) -v tb=$((after_b - before_b)) -v ra="$req_a" -v rb="$req_b" -v hz="$CLK_TCK" 'BEGIN {
        ua = ta * 1e6 / hz / ra; ub = tb * 1e6 / hz / rb
        printf "%.4f %.2f %.2f\n", (ub > 0 ? ua / ub : 0), ua, ub }')"
}

# Median, range and mean of the ratios in file $1 (one per line).
summarize_ratios() {
    sort -g "$1" | awk '{ v[++n] = $1; s += $1 } END {
        m = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
        printf "%.3f× (%.2f–%.2f), mean %.3f×", m, v[1], v[n], s / n }'
}

at_once_main() {
    at_once_parse_args "$@"
    trap cleanup EXIT
    trap 'on_signal INT' INT
    trap 'on_signal TERM' TERM
    WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/gateway-at-once.XXXXXX")"
    require_tools
    local load_before round line baseline_name="gateway@$BASELINE_SHORT" baseline_description
    load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
    build_binaries
    start_upstream
    start_gateway gateway "" "$WORK_DIR/bin/gateway/gateway"
    if [[ -n "$AT_ONCE_AGAINST" ]]; then
        baseline_name="$AT_ONCE_AGAINST" baseline_description="run.sh's $AT_ONCE_AGAINST row"
        if [[ "$AT_ONCE_AGAINST" == nginx-log ]]; then
            start_nginx_proxy log
        else
            start_nginx_proxy
        fi
    else
        baseline_description="$BASELINE_COMMIT ($BASELINE_SUBJECT)"
        start_gateway "$baseline_name" "" "$WORK_DIR/bin/gateway-baseline/gateway"
    fi
    ((AT_ONCE_CONTROL == 0)) || start_gateway "$baseline_name (second process)" "" "$WORK_DIR/bin/gateway-baseline/gateway"
    warm_up_targets
    : >"$WORK_DIR/ratios.tsv"
    : >"$WORK_DIR/control.tsv"
    for ((round = 1; round <= AT_ONCE_ROUNDS; round++)); do
        wait_for_quiet_machine
        window_at_once 0 1 $((round % 2)) "r$round"
        read -r -a line <<<"$WINDOW_RESULT"
        printf '%s\n' "${line[0]}" >>"$WORK_DIR/ratios.tsv"
        log "round $round/$AT_ONCE_ROUNDS: gateway ${line[1]} µs CPU/req, $baseline_name ${line[2]}: ${line[0]}"
        if ((AT_ONCE_CONTROL)); then
            window_at_once 2 1 $((round % 2)) "r$round-control"
            read -r -a line <<<"$WINDOW_RESULT"
            printf '%s\n' "${line[0]}" >>"$WORK_DIR/control.tsv"
            log "round $round/$AT_ONCE_ROUNDS, control: second process ${line[1]} µs CPU/req, first ${line[2]}: ${line[0]}"
        fi
    done
    printf '\n%s, %s cores, load average before: %s; %s rounds of %s s, %s connections each, %s gateways, baseline %s\n\n' \
        "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(nproc)" "$load_before" "$AT_ONCE_ROUNDS" "$DURATION" "$AT_ONCE_CONNECTIONS" \
        "$( ((AT_ONCE_AOT)) && echo NativeAOT || echo JIT)" "$baseline_description"
    printf -- '- CPU per request, gateway built here against %s: %s\n' "$baseline_name" "$(summarize_ratios "$WORK_DIR/ratios.tsv")"
    ((AT_ONCE_CONTROL == 0)) \
        || printf -- '- control, a second process of %s against the first: %s\n' "$baseline_name" "$(summarize_ratios "$WORK_DIR/control.tsv")"
}

at_once_main "$@"; exit
