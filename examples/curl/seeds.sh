#!/usr/bin/env bash
# The seeds' API-key flows with plain curl: create a key, list keys, use and verify it, rotate it,
# revoke it (POST …/revoke and DELETE), and export the audit log.
#
#   TESSERA_BASE_URL      default http://127.0.0.1:4000 (`npm start`)
#   TESSERA_API_KEY       an admin's personal access token (printed once by `npm start`)
#   TESSERA_WORKSPACE_ID  optional: read from GET /v1/me when unset
#   OUT_DIR               optional: where the audit exports go (default: a new temporary folder)
#
#   bash examples/curl/seeds.sh
#
# Uses jq when it is installed, else grep and sed (good enough for these flat answers).
set -euo pipefail

BASE=${TESSERA_BASE_URL:-http://127.0.0.1:4000}
: "${TESSERA_API_KEY:?set TESSERA_API_KEY to an admin token}"
AUTH="Authorization: Bearer $TESSERA_API_KEY"
JSON="Content-Type: application/json"
OUT_DIR=${OUT_DIR:-$(mktemp -d)}

# field NAME: the first "NAME": value of the JSON on stdin (a top-level field with jq).
if command -v jq >/dev/null 2>&1; then
  field() { jq -r --arg name "$1" '.[$name] | if type == "array" then join(",") else . end'; }
else
  field() { grep -o "\"$1\":\(\"[^\"]*\"\|[^,}]*\)" | head -n 1 | sed -e 's/^"[^"]*"://' -e 's/^"//' -e 's/"$//'; }
fi
# expect WHAT ACTUAL WANTED: stop the script when a step did not do what it should.
expect() { if [ "$2" != "$3" ]; then echo "FAILED: $1: got '$2', expected '$3'" >&2; exit 1; fi; echo "ok: $1: $2"; }

WS=${TESSERA_WORKSPACE_ID:-$(curl -fsS "$BASE/v1/me" -H "$AUTH" | grep -o '"workspace":{"id":"[^"]*"' | cut -d'"' -f6)}
echo "workspace $WS on $BASE"

# 1. Your product's scopes in the catalog (201 the first time, 409 when they are already there).
for scope in workflows.execute runs.read; do
  status=$(curl -sS -o /dev/null -w '%{http_code}' -X POST "$BASE/v1/workspaces/$WS/scopes" -H "$AUTH" -H "$JSON" \
    -d "{\"name\": \"$scope\"}")
  case $status in 201|409) echo "ok: scope $scope ($status)" ;; *) echo "FAILED: scope $scope: $status" >&2; exit 1 ;; esac
done

# 2. Create a key. The full key is in this answer only: keep it in a variable, print its prefix.
created=$(curl -fsS -X POST "$BASE/v1/workspaces/$WS/api-keys" -H "$AUTH" -H "$JSON" \
  -H "Idempotency-Key: seeds-create-$(date +%s)-$$" \
  -d '{"name": "CI/CD Pipeline Key", "scopes": ["workflows.execute", "runs.read"], "expires_in": "90d",
       "rate_limit": {"requests_per_minute": 100, "burst": 20}, "metadata": {"team": "platform"}}')
KEY_ID=$(echo "$created" | field id)
KEY=$(echo "$created" | field key)
echo "created $KEY_ID, prefix $(echo "$created" | field key_prefix), expires $(echo "$created" | field expires_at)"

# 3. List the workspace's keys: names and display prefixes, never the raw key.
listed=$(curl -fsS "$BASE/v1/workspaces/$WS/api-keys?status=active&limit=100" -H "$AUTH")
case $listed in *"$KEY"*) echo "FAILED: the list shows a raw key" >&2; exit 1 ;; esac
case $listed in *"\"id\":\"$KEY_ID\""*) echo "ok: the list shows $KEY_ID" ;; *) echo "FAILED: $KEY_ID not listed" >&2; exit 1 ;; esac

# 4. Use the key: it authenticates as itself.
me=$(curl -fsS "$BASE/v1/me" -H "Authorization: Bearer $KEY")
expect "GET /v1/me with the key" "$(echo "$me" | grep -o '"credential":{[^}]*' | grep -o '"id":"[^"]*"' | cut -d'"' -f4)" "$KEY_ID"

# 5. Verify it, as your own backend would for an incoming request.
verify() { # verify KEY [SCOPE]: the verdict's code
  curl -fsS -X POST "$BASE/v1/keys/verify" -H "$AUTH" -H "$JSON" \
    -d "{\"key\": \"$1\", \"required_scopes\": [${2:+\"$2\"}]}" | field code
}
expect "verify for workflows.execute" "$(verify "$KEY" workflows.execute)" valid
expect "verify for api_keys.write" "$(verify "$KEY" api_keys.write)" insufficient_scope

# 6. Rotate with a one-hour grace period: both keys work until the old one is revoked.
rotated=$(curl -fsS -X POST "$BASE/v1/workspaces/$WS/api-keys/$KEY_ID/rotate" -H "$AUTH" -H "$JSON" \
  -d '{"grace_period_seconds": 3600}')
NEW_ID=$(echo "$rotated" | field id)
NEW_KEY=$(echo "$rotated" | field key)
echo "rotated to $NEW_ID, prefix $(echo "$rotated" | field key_prefix)"
expect "old key during the grace period" "$(verify "$KEY")" valid
expect "new key" "$(verify "$NEW_KEY")" valid

# 7. Revoke the old key with DELETE (answers {"status":"revoked"}): it stops working at once.
deleted=$(curl -fsS -X DELETE "$BASE/v1/workspaces/$WS/api-keys/$KEY_ID" -H "$AUTH")
expect "DELETE the old key" "$(echo "$deleted" | field status)" revoked
expect "old key after DELETE" "$(verify "$KEY")" revoked
expect "GET /v1/me with the old key" "$(curl -sS -o /dev/null -w '%{http_code}' "$BASE/v1/me" -H "Authorization: Bearer $KEY")" 401

# 8. Revoke the new key too (POST …/revoke): permanent, and it stays listed as revoked.
revoked=$(curl -fsS -X POST "$BASE/v1/workspaces/$WS/api-keys/$NEW_ID/revoke" -H "$AUTH")
expect "revoke the new key" "$(echo "$revoked" | field status)" revoked
expect "new key after revoke" "$(verify "$NEW_KEY")" revoked

# 9. The audit trail: recent revocations, then the last day as CSV and CEF files for a SIEM.
events=$(curl -fsS "$BASE/v1/workspaces/$WS/audit-logs?event_type=api_key.revoked&range=24h&limit=10" -H "$AUTH")
echo "ok: $(echo "$events" | grep -o '"type":"api_key.revoked"' | wc -l | tr -d ' ') api_key.revoked events in the last 24 hours"
for format in csv cef; do
  curl -fsS "$BASE/v1/workspaces/$WS/audit-logs/export?format=$format&range=24h" -H "$AUTH" -o "$OUT_DIR/tessera-audit.$format"
  echo "ok: $OUT_DIR/tessera-audit.$format ($(wc -l < "$OUT_DIR/tessera-audit.$format" | tr -d ' ') lines)"
done
if grep -qF -e "$KEY" -e "$NEW_KEY" "$OUT_DIR"/tessera-audit.*; then echo "FAILED: a raw key is in the export" >&2; exit 1; fi
if ! grep -q 'api_key.rotated' "$OUT_DIR/tessera-audit.csv"; then echo "FAILED: no rotation in the CSV export" >&2; exit 1; fi
echo "ok: the CSV export holds the rotation"
echo "done"
