#!/usr/bin/env bash
# Checks a saved OpenAPI document (or one fetched from a URL): redocly lint with the recommended rules must
# report no errors, and openapi-typescript must generate types from it. Starts no server itself.
#
#   scripts/check-openapi.sh artifacts/openapi.json
#   scripts/check-openapi.sh http://localhost:8000/openapi/v1.json
#
# The document is written by the functional tests (OpenApiDocumentTests) to artifacts/openapi.json.
set -euo pipefail

source="${1:-artifacts/openapi.json}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/tools/openapi-check"
out="$root/artifacts"
mkdir -p "$out"

if [[ "$source" =~ ^https?:// ]]; then
  document="$out/openapi.fetched.json"
  curl --fail --silent --show-error "$source" -o "$document"
else
  document="$(cd "$(dirname "$source")" && pwd)/$(basename "$source")"
fi
[[ -s "$document" ]] || { echo "check-openapi: no document at $source" >&2; exit 1; }

if [[ ! -x "$tools/node_modules/.bin/redocly" || ! -x "$tools/node_modules/.bin/openapi-typescript" ]]; then
  (cd "$tools" && npm ci --no-audit --no-fund --loglevel=error)
fi

echo "== redocly lint (recommended) =="
(cd "$tools" && npx --no-install redocly lint --config redocly.yaml "$document")

echo "== openapi-typescript =="
(cd "$tools" && npx --no-install openapi-typescript "$document" -o "$out/openapi.d.ts")
echo "check-openapi: OK ($out/openapi.d.ts)"
