# Shared by bench/run.sh and bench/mint.sh (sourced, not run). Set BENCH_NAME before sourcing.

log() { printf '[%s %s] %s\n' "${BENCH_NAME:-bench}" "$(date +%T)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Installs the Debian packages of the named commands that are missing ("command=package" when they differ).
install_missing() {
  local need=() spec cmd
  for spec in "$@"; do
    cmd=${spec%%=*}
    command -v "$cmd" >/dev/null || [ -x "/usr/sbin/$cmd" ] || need+=("${spec#*=}")
  done
  if [ ${#need[@]} -gt 0 ]; then
    log "installing ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
}

# The deployment's JVM options: two lines of application.properties are the single source.
deployment_jvm_opts() {
  local gc append
  gc=$(sed -n 's/^quarkus\.kubernetes\.env\.vars\.gc-container-options=//p' src/main/resources/application.properties)
  append=$(sed -n 's/^quarkus\.kubernetes\.env\.vars\.java-opts-append=//p' src/main/resources/application.properties)
  [ -n "$gc" ] && [ -n "$append" ] \
    || die "quarkus.kubernetes.env.vars.gc-container-options / java-opts-append not found in application.properties"
  printf '%s %s' "$gc" "$append"
}

# Fails when any of the loopback ports is taken; $1 names the knobs that move them.
require_free_ports() {
  local knobs=$1 port
  shift
  for port in "$@"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      die "port $port is in use (set $knobs)"
    fi
  done
}

# CPU ticks the JIT compiler threads of a JVM have used so far: the warm-up runs until they go quiet.
jit_ticks() {
  local t total=0
  for t in /proc/"$1"/task/*; do
    case $(cat "$t/comm" 2>/dev/null) in
      C1\ CompilerThre*|C2\ CompilerThre*) total=$((total + $(sed 's/^.*) //' "$t/stat" | awk '{print $12 + $13}'))) ;;
    esac
  done
  echo "$total"
}
