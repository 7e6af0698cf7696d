#!/usr/bin/env bash
# Runs the whole test suite on a fresh Debian machine with the .NET SDK, Node and apt (as root):
# installs what the tests need when it is missing (redis-server, chromium, nginx, prometheus with promtool,
# sqlite3), checks the migrations of
# both database providers, runs every test project, and ends with one "N passed, N failed" line.
set -euo pipefail
cd "$(dirname "$0")/.."

need_packages=()
command -v redis-server >/dev/null 2>&1 || need_packages+=(redis-server)
command -v chromium >/dev/null 2>&1 || need_packages+=(chromium)
# The SQLite fault test holds the database's write lock from another process: the sqlite3 shell.
command -v sqlite3 >/dev/null 2>&1 || need_packages+=(sqlite3)
# nginx and Prometheus run as test processes on free ports with their own folders (a service the package
# may start is not used).
{ command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; } || need_packages+=(nginx)
{ command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1; } || need_packages+=(prometheus)
if [ ${#need_packages[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing ${need_packages[*]}: install them (apt-get install -y ${need_packages[*]}) or run as root." >&2
    exit 1
  fi
  echo "Installing ${need_packages[*]} ..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_packages[@]}" >/dev/null
fi

# The Node packages of the client tests (the AI SDK, playwright-core, esbuild...): installed from the lock file
# when missing or older than it, before the tests run in parallel.
if [ ! -f tests/e2e/node_modules/.package-lock.json ] || [ tests/e2e/package-lock.json -nt tests/e2e/node_modules/.package-lock.json ]; then
  echo "Installing the Node packages of tests/e2e ..."
  (cd tests/e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build StudyGuru.sln -c Debug -nologo -v quiet

echo "== Migrations of both providers are in step with the model; SQL Server script generated"
bash scripts/check-migrations.sh

echo "== Tests"
log=$(mktemp)
set +e
dotnet test StudyGuru.sln --no-build -nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# The functional tests wrote the served OpenAPI document; it must lint clean and generate client types.
openapi_status=0
if [ -s artifacts/openapi.json ]; then
  echo "== OpenAPI document: redocly lint and openapi-typescript"
  bash scripts/check-openapi.sh artifacts/openapi.json || openapi_status=$?
else
  echo "artifacts/openapi.json was not written by the tests" >&2
  openapi_status=1
fi
if [ "$openapi_status" -ne 0 ] && [ "$status" -eq 0 ]; then status=$openapi_status; fi

passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -Eo 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit "$status"
