#!/usr/bin/env bash
# JMH micro-benchmarks of the authentication hot paths (not a test), then their ratios against the baseline
# measured in the same run. See bench/README.md. Extra arguments go to JMH (e.g. a benchmark regex, -f 2).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../bin/find-jdk.sh
. "$ROOT/bin/find-jdk.sh"
JAR="$ROOT/gatehouse-bench/target/gatehouse-bench.jar"
if [ ! -f "$JAR" ]; then
  echo "Building gatehouse-bench (mvnw install -DskipTests) ..."
  (cd "$ROOT" && { ./mvnw -q -B -ntp -o -DskipTests install -pl gatehouse-bench -am \
                   || ./mvnw -q -B -ntp -DskipTests install -pl gatehouse-bench -am; })
fi
CSV=$(mktemp "${TMPDIR:-/tmp}/gatehouse-jmh.XXXXXX.csv")
trap 'rm -f "$CSV"' EXIT
echo "JDK: $JAVA_HOME; jar: $JAR ($(date -r "$JAR" '+%F %T'))"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$JAR" org.openjdk.jmh.Main -rf csv -rff "$CSV" "$@"

# score BENCHMARK [ALGORITHM PROVIDER]: the average time JMH reported for that row
score() {
  awk -F, -v b="io.gatehouse.bench.jmh.$1" -v a="${2:-}" -v p="${3:-}" \
    '{ gsub(/["\r]/, "") } $1 == b && (a == "" || ($8 == a && $9 == p)) { print $5 }' "$CSV"
}
ratio() { # LABEL NUMERATOR DENOMINATOR
  [ -n "$2" ] && [ -n "$3" ] && awk -v l="$1" -v a="$2" -v b="$3" 'BEGIN { printf "  %-58s %6.2f\n", l, a / b }'
}
echo
echo "ratios (same run; average times, so below 1 is faster):"
for alg in RS256 ES256; do
  ratio "$alg verify, native / JDK" "$(score SignatureVerificationBenchmark.verify $alg native)" \
    "$(score SignatureVerificationBenchmark.verify $alg jdk)" || true
done
ratio "cached token / header parsing alone" "$(score CachedTokenBenchmark.cachedToken)" "$(score CachedTokenBenchmark.headerOnly)" || true
ratio "cached token / RS256 verify (native)" "$(awk -v n="$(score CachedTokenBenchmark.cachedToken)" 'BEGIN { if (n != "") print n / 1000 }')" \
  "$(score SignatureVerificationBenchmark.verify RS256 native)" || true
