#!/usr/bin/env bash
# The production topology of deploy/, on 127.0.0.1 only, checked and measured:
#   nginx (deploy/nginx/locations.conf) → two gunicorn app servers, a Celery worker, PostgreSQL, Redis.
# Publishes a report through app server 1, reads it through app server 2 and through nginx, measures
# requests a second for the published PDF through nginx (proxy_cache) against nginx serving the same
# file statically (wrk), then runs `manage.py bench_load` (simulated staff) against the two app servers.
# Stops everything it started (and only that).
#
#   scripts/topology_check.sh [--seconds 60] [--clients 32] [--wrk-seconds 10]
# Needs: nginx, wrk (apt-get install nginx wrk), PostgreSQL and Redis (started here when none answers).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
SECONDS_LOAD=60 CLIENTS=32 WRK_SECONDS=10
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) SECONDS_LOAD=$2; shift 2 ;;
    --clients) CLIENTS=$2; shift 2 ;;
    --wrk-seconds) WRK_SECONDS=$2; shift 2 ;;
    *) echo "usage: $0 [--seconds N] [--clients N] [--wrk-seconds N]" >&2; exit 2 ;;
  esac
done
for tool in nginx wrk pg_isready redis-cli; do
  command -v "$tool" >/dev/null || { echo "missing: $tool (apt-get install nginx wrk postgresql-client redis-tools)" >&2; exit 2; }
done

WORK=$(mktemp -d /tmp/ita-topology.XXXXXX)
NGINX_PORT=${NGINX_PORT:-18080} APP1=${APP1:-18001} APP2=${APP2:-18002}
PIDS=() STARTED_REDIS="" STARTED_PG=""
log() { printf '\n== %s\n' "$*"; }

cleanup() {
  local status=$?
  set +e
  if [ "$status" != 0 ]; then
    for file in "$WORK"/*.log; do [ -s "$file" ] && { echo "--- $file" >&2; tail -30 "$file" >&2; }; done
  fi
  [ -f "$WORK/nginx.pid" ] && nginx -c "$WORK/nginx.conf" -s quit 2>/dev/null
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null; done
  [ -n "${DB:-}" ] && psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1
  [ -n "$STARTED_REDIS" ] && redis-cli -h 127.0.0.1 -p 6379 shutdown nosave >/dev/null 2>&1
  [ -n "$STARTED_PG" ] && pg_ctlcluster --skip-systemctl-redirect "$STARTED_PG" main stop
  rm -rf "$WORK"
}
trap cleanup EXIT

# --- PostgreSQL and Redis on 127.0.0.1 ---------------------------------------------------------------
if ! pg_isready -q -h 127.0.0.1 -p 5432 -U postgres; then
  STARTED_PG=$(ls /etc/postgresql | sort -V | tail -1)
  log "starting PostgreSQL $STARTED_PG"
  pg_ctlcluster --skip-systemctl-redirect "$STARTED_PG" main start
  for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 -U postgres && break; sleep 1; done
fi
if ! redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; then
  log "starting Redis"
  redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save '' --appendonly no >/dev/null
  STARTED_REDIS=1
  for _ in $(seq 30); do redis-cli -h 127.0.0.1 ping 2>/dev/null | grep -q PONG && break; sleep 0.2; done
fi

DB=${TOPOLOGY_DB:-ita_topology}
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB DB_CONN_MAX_AGE=60
export DEBUG=0 SECRET_KEY="topology-$(date +%s)-a-long-random-enough-secret-key-for-the-check"
export ALLOWED_HOSTS=127.0.0.1,localhost SECURE_SSL_REDIRECT=0 SITE_URL=http://127.0.0.1:$NGINX_PORT
export MEDIA_ROOT=$WORK/media STATIC_ROOT=$WORK/static
export CELERY_BROKER_URL=redis://127.0.0.1:6379/6 CACHE_URL=redis://127.0.0.1:6379/7
export EMAIL_HOST="" PYTHONUNBUFFERED=1
PY=$REPO/.venv/bin/python

log "database $DB (migrate, demo data without publishing), collectstatic"
psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null
$PY manage.py migrate --noinput -v 0
$PY manage.py load_demo --no-publish --quiet-logins >/dev/null
$PY manage.py collectstatic --noinput -v 0
redis-cli -h 127.0.0.1 -n 6 flushdb >/dev/null

log "two app servers (:$APP1, :$APP2), a Celery worker"
for port in "$APP1" "$APP2"; do
  .venv/bin/gunicorn ita_portal.wsgi --bind 127.0.0.1:$port --workers 2 --threads 4 --timeout 120 \
    --error-logfile "$WORK/gunicorn-$port.log" &
  PIDS+=($!)
done
.venv/bin/celery -A ita_portal worker --loglevel WARNING --concurrency 1 --logfile "$WORK/worker.log" &
PIDS+=($!)

log "nginx on 127.0.0.1:$NGINX_PORT with deploy/nginx/locations.conf"
mkdir -p "$WORK/cache" "$WORK/static-copy" "$WORK/nginx-temp"
sed "s#/srv/ita-portal/static/#$WORK/static/#" deploy/nginx/locations.conf > "$WORK/locations.conf"
cat > "$WORK/nginx.conf" <<NGINX
worker_processes 2;
user $(id -un);  # the workers write this run's cache and temporary files under $WORK
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    keepalive_requests 100000;
    client_body_temp_path $WORK/nginx-temp/body;
    proxy_temp_path $WORK/nginx-temp/proxy;
    fastcgi_temp_path $WORK/nginx-temp/fastcgi;
    uwsgi_temp_path $WORK/nginx-temp/uwsgi;
    scgi_temp_path $WORK/nginx-temp/scgi;
    proxy_cache_path $WORK/cache levels=1:2 keys_zone=ita_public:10m max_size=1g inactive=1d use_temp_path=off;
    upstream ita_portal { server 127.0.0.1:$APP1; server 127.0.0.1:$APP2; keepalive 32; }
    server {
        listen 127.0.0.1:$NGINX_PORT;
        include $WORK/locations.conf;
        # The same PDF as a plain static file: the yardstick.
        location /static-copy/ { alias $WORK/static-copy/; }
    }
}
NGINX
nginx -t -q -c "$WORK/nginx.conf"
nginx -c "$WORK/nginx.conf"

for port in "$APP1" "$APP2"; do
  for _ in $(seq 60); do curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.5; done
done

log "publish through :$APP1 (queued for the worker), read through :$APP2 and nginx"
PDF_PATH=$($PY manage.py shell --no-imports -c "
import hashlib, time, sys
from measures.management.commands.bench_load import Client
from reports.models import PublishJob, PublishedReport
admin = Client('http://127.0.0.1:$APP1')
admin.login('somchai', 'ita-demo-2568')
status, _, _ = admin.request('/u/sra-krachom/reports/plan/2568/publish/', {})
assert status == 302, status
started = time.monotonic()
while PublishJob.objects.latest('pk').state in ('queued', 'rendering') and time.monotonic() - started < 120:
    time.sleep(0.2)
job = PublishJob.objects.latest('pk')
assert job.state == 'done', (job.state, job.error)
print(f'published version {job.report.version} in {time.monotonic() - started:.1f} s by the worker', file=sys.stderr)
reader = Client('http://127.0.0.1:$APP2')
path = f'/sra-krachom/reports/{job.report.pk}.pdf'
status, _, _ = reader.request(path)
assert status == 200, status
print(path)
")
echo "published PDF: $PDF_PATH"
curl -fsS -D "$WORK/h2" -o "$WORK/static-copy/report.pdf" "http://127.0.0.1:$APP2$PDF_PATH"
grep -i -E '^(cache-control|etag):' "$WORK/h2"
ETAG=$(grep -i '^etag:' "$WORK/h2" | cut -d' ' -f2- | tr -d '\r')
curl -fsS -o /dev/null -D "$WORK/h1" "http://127.0.0.1:$NGINX_PORT$PDF_PATH"
curl -fsS -o "$WORK/via-nginx.pdf" -D "$WORK/h1" "http://127.0.0.1:$NGINX_PORT$PDF_PATH"
grep -i '^x-cache-status: HIT' "$WORK/h1" >/dev/null || { echo "nginx did not cache the PDF" >&2; cat "$WORK/h1" >&2; exit 1; }
cmp "$WORK/via-nginx.pdf" "$WORK/static-copy/report.pdf"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $ETAG" "http://127.0.0.1:$NGINX_PORT$PDF_PATH")
[ "$code" = 304 ] || { echo "If-None-Match through nginx answered $code" >&2; exit 1; }
echo "through nginx: cached (X-Cache-Status HIT), same bytes, If-None-Match → 304"

log "published PDF through nginx vs the same file served statically (wrk, ${WRK_SECONDS}s each, 127.0.0.1)"
rate() { wrk -t2 -c32 -d"${WRK_SECONDS}s" "$1" | awk '/Requests\/sec/ {print $2}'; }
APP_RATE=$(rate "http://127.0.0.1:$NGINX_PORT$PDF_PATH")
STATIC_RATE=$(rate "http://127.0.0.1:$NGINX_PORT/static-copy/report.pdf")
DIRECT_RATE=$(rate "http://127.0.0.1:$APP2$PDF_PATH")
SIZE=$(stat -c %s "$WORK/static-copy/report.pdf")
echo "PDF of $SIZE bytes: published address via nginx $APP_RATE req/s, static file $STATIC_RATE req/s, gunicorn alone $DIRECT_RATE req/s"
awk -v a="$APP_RATE" -v s="$STATIC_RATE" 'BEGIN { printf "ratio (published via nginx / static): %.2f (goal ≥ 0.5)\n", a / s }'

log "load: $CLIENTS simulated staff for ${SECONDS_LOAD}s against :$APP1 and :$APP2"
$PY manage.py bench_load --url "http://127.0.0.1:$APP1" --url "http://127.0.0.1:$APP2" --clients "$CLIENTS" --seconds "$SECONDS_LOAD"

log "machine"
echo "$(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)); $(free -g | awk '/Mem:/ {print $2}') GB RAM; $(nginx -v 2>&1); $(psql -h 127.0.0.1 -U postgres -tAc 'SHOW server_version'); Redis $(redis-cli -h 127.0.0.1 info server | awk -F: '/redis_version/ {print $2}' | tr -d '\r')"
if grep -q -E 'Traceback|ERROR' "$WORK"/gunicorn-*.log "$WORK/worker.log" 2>/dev/null; then
  echo "errors in the server logs:" >&2
  grep -h -A3 -E 'Traceback|ERROR' "$WORK"/gunicorn-*.log "$WORK/worker.log" | head -40 >&2
fi
