#!/usr/bin/env bash
# Runs every test of Mimamori. Installs what the tests need when it is missing (PostgreSQL, Debian's Chromium, CJK
# fonts, poppler), starts a throwaway PostgreSQL cluster on 127.0.0.1, and ends with the line
# "N passed, N failed, N skipped".
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# 1. What the tests need from the system.
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
# grep reads the whole list (no -q): an early exit would make fc-list die of SIGPIPE and, under pipefail, look like a miss.
fonts="$(fc-list 2>/dev/null || true)"
grep -i "IPAGothic" <<<"$fonts" >/dev/null || need+=(fonts-ipafont)
grep -i "Noto Sans CJK" <<<"$fonts" >/dev/null || need+=(fonts-noto-cjk)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
if [ ${#need[@]} -gt 0 ]; then
  echo "== installing ${need[*]}"
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq && $sudo apt-get install -y -qq "${need[@]}" >/dev/null || { echo "could not install ${need[*]}"; echo "0 passed, 1 failed"; exit 1; }
fi

# 2. A throwaway PostgreSQL cluster for the storage tests (loopback only, removed on exit).
pgbin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
pgdir="$(mktemp -d /tmp/mimamori-pg.XXXXXX)"
pgport="${MIMAMORI_TEST_PG_PORT:-55432}"
cleanup() {
  su postgres -c "$pgbin/pg_ctl -D $pgdir/data -m immediate stop" >/dev/null 2>&1 || true
  rm -rf "$pgdir"
}
trap cleanup EXIT
chown postgres "$pgdir"
# The test assemblies run side by side and every PostgreSQL test has its own database, each with its own client
# pool: more than the default 100 connections can be open at once.
if su postgres -c "$pgbin/initdb -D $pgdir/data -A trust -U postgres -E UTF8 --locale=C.UTF-8" >/dev/null \
   && su postgres -c "$pgbin/pg_ctl -D $pgdir/data -l $pgdir/log -w -o '-p $pgport -k $pgdir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=500'  start" >/dev/null; then
  export MIMAMORI_TEST_PG="Host=127.0.0.1;Port=$pgport;Username=postgres;Database=postgres"
else
  echo "PostgreSQL could not be started (log: $pgdir/log)"
  echo "0 passed, 1 failed"
  exit 1
fi

# 3. Build once, then every test project.
results="$here/.test-results"
rm -rf "$results"
if ! dotnet build Mimamori.slnx -c Release -nologo -v quiet -nodeReuse:false; then
  echo "the build failed"
  echo "0 passed, 1 failed"
  exit 1
fi
dotnet test Mimamori.slnx -c Release --no-build --nologo --logger "trx" --results-directory "$results" -- RunConfiguration.TreatNoTestsAsError=false
test_status=$?

# 4. One line that any CI reads: the counts from the TRX reports.
passed=0; failed=0; skipped=0; files=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  files=$((files + 1))
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  p="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  f="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  t="$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")"
  e="$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${t:-0} - ${e:-0}))
done
if [ "$files" -eq 0 ] || { [ "$test_status" -ne 0 ] && [ "$failed" -eq 0 ]; }; then
  # The test host crashed or wrote no report: count it as a failure rather than a silent pass.
  failed=$((failed + 1))
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
