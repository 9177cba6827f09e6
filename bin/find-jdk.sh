# Sourced by ./gatehouse and ./run-tests: sets JAVA_HOME to a JDK 21 or newer, or explains what to install.
# Order: $JAVA_HOME if it is new enough, else the newest JDK under /usr/lib/jvm, /opt or on the PATH.

gatehouse_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}

gatehouse_find_jdk() {
  local candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(gatehouse_java_major "$JAVA_HOME")
    if [ "${major:-0}" -ge 21 ] 2>/dev/null; then
      return 0
    fi
  fi
  local on_path=""
  if command -v javac >/dev/null 2>&1; then
    on_path=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
  fi
  for candidate in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$on_path"; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(gatehouse_java_major "$candidate")
    if [ "${major:-0}" -ge 21 ] 2>/dev/null && [ "$major" -gt "$best_major" ]; then
      best="$candidate"
      best_major="$major"
    fi
  done
  if [ -z "$best" ]; then
    echo "Gatehouse needs a JDK 21 or newer, and none was found (JAVA_HOME=${JAVA_HOME:-unset}; looked in /usr/lib/jvm, /opt and the PATH)." >&2
    echo "Install one, for example:  apt-get install openjdk-21-jdk   (or Temurin 21+ from adoptium.net), then run this again." >&2
    return 1
  fi
  export JAVA_HOME="$best"
}

gatehouse_find_jdk || exit 1
