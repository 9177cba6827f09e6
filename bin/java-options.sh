# Sourced after bin/find-jdk.sh by ./gatehouse, bench/ and deploy/: the JVM flags Gatehouse runs with.
#
# gatehouse_java_options JAR prints them:
# - GATEHOUSE_JAVA_OPTS when it is set (even empty): it replaces the memory defaults below entirely;
# - otherwise the defaults, chosen by measurement (bench/README.md, "JVM defaults"): the serial collector with a
#   heap of at most 256 MiB. A request allocates a few KiB and keeps nothing, so young collections take about a
#   millisecond and the process stays small; one node that needs more heap (many sessions, large tool results)
#   sets GATEHOUSE_JAVA_OPTS, e.g. "-XX:+UseSerialGC -Xmx1g";
# - then, on a JDK 25 or newer, the ahead-of-time class cache built with the jar (JAR's name with .aot, made by
#   the build's training run, bin/aot-train.sh) when it was made by this very JDK for this very jar: start-up
#   then loads and links classes from the cache instead of the jar. Any other JDK starts plainly.
GATEHOUSE_DEFAULT_JAVA_OPTS="-XX:+UseSerialGC -Xms32m -Xmx256m"

gatehouse_java_options() {
  local jar=$1 aot="${1%.jar}.aot" opts
  if [ -n "${GATEHOUSE_JAVA_OPTS+set}" ]; then
    opts=$GATEHOUSE_JAVA_OPTS
  else
    opts=$GATEHOUSE_DEFAULT_JAVA_OPTS
  fi
  if [ -f "$aot" ] && [ "$aot" -nt "$jar" ] && [ -f "$aot.jdk" ] \
     && [ "$(cat "$aot.jdk")" = "$(gatehouse_jdk_identity)" ]; then
    opts="$opts -XX:AOTCache=$aot"
  fi
  echo "$opts"
}

# gatehouse_jdk_identity: the running JDK (JAVA_HOME) as its home and full version; an AOT cache only fits the JDK
# that made it.
gatehouse_jdk_identity() {
  echo "$JAVA_HOME $(awk -F'"' '/^JAVA_RUNTIME_VERSION=/ {print $2}' "$JAVA_HOME/release" 2>/dev/null)"
}
