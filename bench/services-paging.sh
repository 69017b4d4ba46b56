#!/usr/bin/env bash
# GET /services under 1,000 concurrent connections (issue 22): the size of one answer, the time
# until 1,000 requests sent at once are all answered, then a wrk run's requests/s and latency,
# with the API's RSS before, after the burst and after wrk. Run from a built tree
# (`npm run build`) with PostgreSQL and Redis up:
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/stepwise_bench bench/services-paging.sh
#
# The database is created if missing, migrated, seeded (config/) when it holds no services, and
# topped up through the API to SERVICES services (registered as a planner would, so each has its
# capability history). Settings (environment): SERVICES (459), CONNECTIONS (1000), THREADS (2),
# DURATION (10, seconds), TIMEOUT (30, seconds: a slower answer counts as a timeout),
# PORT (3199), QUERY (appended to the path, e.g. `?limit=1000`).
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DATABASE_URL:?set DATABASE_URL to the bench database}"
SERVICES=${SERVICES:-459}
CONNECTIONS=${CONNECTIONS:-1000}
THREADS=${THREADS:-2}
DURATION=${DURATION:-10}
PORT=${PORT:-3199}
QUERY=${QUERY:-}
TOKEN="bench-admin-token-$RANDOM$RANDOM$RANDOM"
BASE="http://127.0.0.1:$PORT"

command -v wrk >/dev/null || { echo "wrk is missing (Debian: apt-get install -y wrk)" >&2; exit 1; }
[ -f dist/apps/api/src/main.js ] || { echo "no dist/: run npm run build first" >&2; exit 1; }

database=${DATABASE_URL##*/}
database=${database%%\?*}
admin_url=${DATABASE_URL%/*}/postgres
if [ "$(psql "$admin_url" -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'")" != 1 ]; then
  psql "$admin_url" -qc "CREATE DATABASE $database"
fi
node dist/apps/cli/src/main.js migrate >/dev/null
if [ "$(psql "$DATABASE_URL" -tAc 'SELECT count(*) FROM services')" = 0 ]; then
  LOG_LEVEL=warn node dist/apps/cli/src/main.js seed >/dev/null
fi

export PORT STEPWISE_ADMIN_TOKEN="$TOKEN" STEPWISE_RATE_LIMIT_PER_MINUTE=0 LOG_LEVEL=warn
export STEPWISE_REDIS_PREFIX="bench-paging-$$"
node dist/apps/api/src/main.js &
api=$!
trap 'kill "$api" 2>/dev/null || true; wait "$api" 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  curl -fs "$BASE/health/ready" >/dev/null && break
  kill -0 "$api" 2>/dev/null || { echo "the API exited before it was ready" >&2; exit 1; }
  sleep 0.1
done
curl -fs "$BASE/health/ready" >/dev/null || { echo "the API was not ready within 30 s" >&2; exit 1; }

have=$(psql "$DATABASE_URL" -tAc 'SELECT count(*) FROM services')
for n in $(seq $((have + 1)) "$SERVICES"); do
  capability=$([ $((n % 2)) = 0 ] && echo ready || echo not-ready)
  curl -fs -o /dev/null -X POST "$BASE/api/v1/services" -H "authorization: Bearer $TOKEN" \
    -H 'content-type: application/json' \
    -d "{\"id\":\"bench-$n\",\"name\":\"Bench service $n\",\"owner\":\"bench team\",\"tags\":[\"bench\",\"t$((n % 7))\"],\"mfaCapability\":\"$capability\",\"connector\":{\"type\":\"pull\"}}"
done

url="$BASE/api/v1/services$QUERY"
rss() { echo "$(($(ps -o rss= -p "$api") / 1024)) MiB"; }
# One request first, so that the figure before is of a warm API, not of one still loading code.
bytes=$(curl -fs -o /dev/null -w '%{size_download}' -H "authorization: Bearer $TOKEN" "$url")
echo "services: $(psql "$DATABASE_URL" -tAc 'SELECT count(*) FROM services'); one answer: $bytes bytes"
echo "RSS before: $(rss)"
# The issue's figure first: CONNECTIONS requests sent at once, the time until the last is answered.
# shellcheck disable=SC2016 # the single quotes hold JavaScript, whose template literals must stay
node -e '
  const [url, token, count] = process.argv.slice(1);
  const started = performance.now();
  const one = () => fetch(url, { headers: { authorization: `Bearer ${token}` } }).then(async (res) => {
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`answered ${res.status}`);
  });
  Promise.all(Array.from({ length: Number(count) }, one)).then(() =>
    console.log(`${count} requests at once: the last answered after ${((performance.now() - started) / 1000).toFixed(1)} s`));
' "$url" "$TOKEN" "$CONNECTIONS"
echo "RSS after the burst: $(rss)"
wrk -c "$CONNECTIONS" -t "$THREADS" -d "${DURATION}s" --timeout "${TIMEOUT:-30}s" --latency -H "authorization: Bearer $TOKEN" "$url"
echo "RSS after: $(rss)"
