#!/usr/bin/env bash
# The load benchmark end to end: builds the sample and the benchmarks when needed, fetches the
# peers' agents through Maven, runs every configuration against the packaged sample and writes the
# table into docs/benchmarks.md (between its markers). A full run and a tiny run differ only in
# the parameters:
#
#   benchmarks/run.sh                                    # 120 s warm-up, 30 s measured, 3 rounds, all
#   benchmarks/run.sh --duration 5 --warmup 2 --rounds 1 --configs none,ddprof --output benchmarks/target/tiny.md
#   benchmarks/run.sh --jmh                              # the JMH micro-benchmarks instead, with -prof gc
set -euo pipefail
cd "$(dirname "$0")/.."

warmup=120
duration=30
rounds=3
configs=all
connections=8
output=docs/benchmarks.md
build=auto
jmh=false
jmh_args=()
extra_args=()

usage() {
  sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
  cat <<'USAGE'
Options: --warmup SECONDS --duration SECONDS --rounds N --configs a,b,...|all --connections N
         --mix tuned|survivors|small|large|p1,p2,... --previous-jar JAR --virtual-threads
         --sampling-probability P --start-phase true|false --max-heap SIZE|none
         --jvm-args "OPTIONS" --app-args "ARGUMENTS" (diagnostic runs: added to every configuration)
         --output FILE --build (always rebuild) --no-build --jmh [JMH arguments...]
The JVM is $JAVA_HOME's when set (--virtual-threads needs 21 or later), else java on the PATH.
Configurations: none, ddprof, ddprof-previous (with --previous-jar), ddprof-otlp, ddprof-pyroscope, ddprof-live, ddprof-cpu, ddprof-wall, ddprof-alloc, ddprof-lock,
                async-profiler, dd-profiling, dd-profiling-tracing, pyroscope
USAGE
}

while (($#)); do
  case "$1" in
    --warmup) warmup=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --configs) configs=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --mix) extra_args+=("--mix=$2"); shift 2 ;;
    --previous-jar) extra_args+=("--previous-jar=$2"); shift 2 ;;
    --virtual-threads) extra_args+=("--virtual-threads=true"); shift ;;
    --sampling-probability) extra_args+=("--sampling-probability=$2"); shift 2 ;;
    --start-phase) extra_args+=("--start-phase=$2"); shift 2 ;;
    --max-heap) extra_args+=("--max-heap=$2"); shift 2 ;;
    --jvm-args) extra_args+=("--jvm-args=$2"); shift 2 ;;
    --app-args) extra_args+=("--app-args=$2"); shift 2 ;;
    --output) output=$2; shift 2 ;;
    --build) build=always; shift ;;
    --no-build) build=never; shift ;;
    --jmh) jmh=true; shift; jmh_args=("$@"); break ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

sample_jar() { compgen -G 'sample-app/target/sample-app-*.jar' | grep -v '\.original$' | head -n 1; }

if [[ $build == always ]] || { [[ $build == auto ]] && { [[ ! -f benchmarks/target/benchmarks.jar ]] || [[ -z "$(sample_jar)" ]]; }; }; then
  # package, not install: the local repository is shared and gets no snapshot from here.
  mvn -B -q -pl benchmarks -am package -DskipTests
fi

if [[ $jmh == true ]]; then
  exec java -jar benchmarks/target/benchmarks.jar -prof gc "${jmh_args[@]}"
fi

peers=benchmarks/target/peers
peer_args=()
if [[ $configs == all || $configs == *dd-profiling* ]]; then
  [[ -f $peers/dd-java-agent-1.68.1.jar ]] ||
    mvn -B -q -N dependency:copy -Dartifact=com.datadoghq:dd-java-agent:1.68.1 -DoutputDirectory="$peers"
  peer_args+=("--dd-java-agent=$peers/dd-java-agent-1.68.1.jar")
fi
if [[ $configs == all || $configs == *pyroscope* ]]; then
  [[ -f $peers/agent-2.1.2.jar ]] ||
    mvn -B -q -N dependency:copy -Dartifact=io.pyroscope:agent:2.1.2 -DoutputDirectory="$peers"
  peer_args+=("--pyroscope-agent=$peers/agent-2.1.2.jar")
fi

echo "run.sh: load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
"$java" -cp benchmarks/target/benchmarks.jar io.ddprof.benchmarks.load.LoadBenchmark \
  "--jar=$(sample_jar)" "--warmup=$warmup" "--duration=$duration" "--rounds=$rounds" "--configs=$configs" \
  "--connections=$connections" "--output=$output" --work=benchmarks/target/load "${peer_args[@]}" "${extra_args[@]}"
