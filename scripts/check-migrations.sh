#!/usr/bin/env bash
# Fails when either provider's model has changes without a migration (EF 10 would refuse to
# migrate at start-up), and writes the idempotent SQL Server script that operators review and apply.
set -euo pipefail

cd "$(dirname "$0")/.."

project=src/Infrastructure
ef=(dotnet ef --project "$project" --startup-project "$project")

dotnet tool restore
dotnet build "$project" --nologo -v quiet

for context in SqliteStudyGuruDbContext SqlServerStudyGuruDbContext; do
    echo "Checking $context for model changes without a migration..."
    "${ef[@]}" migrations has-pending-model-changes --context "$context" --no-build
done

mkdir -p artifacts
"${ef[@]}" migrations script --idempotent --context SqlServerStudyGuruDbContext --no-build \
    --output artifacts/sqlserver-migrations.sql
echo "Wrote artifacts/sqlserver-migrations.sql"
