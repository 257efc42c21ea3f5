# shellcheck shell=bash
# npm run n8n -- queue: the node in n8n's queue mode (sourced by scripts/n8n.sh,
# which provides install_n8n, build_and_link, n8n_env, n8n_cli, free_port, say,
# die, elapsed and the cleanup trap). See docs/queue-mode.md.
#
# Starts, all on loopback with their data in <repo>/.n8n-user/queue (fresh each run):
#   Redis         Debian's redis-server, own port and dir (the Bull queue)
#   PostgreSQL    own cluster (initdb) and port: main and workers share one
#                 database; n8n warns that "Scaling mode is not officially
#                 supported with sqlite" (packages/cli base-command)
#   the sandbox   --bc-limits, Business Central's per-user limits: 5 requests processed
#                 at once, 95 queued, 6,000 per 5 minutes (scripts/n8n/queue/sandbox.cts)
#   n8n main      `n8n start`, EXECUTIONS_MODE=queue: receives the webhook calls
#                 and puts each execution on the queue
#   2 workers     `n8n worker --concurrency $QUEUE_WORKER_CONCURRENCY`
# then POSTs $QUEUE_RUNS webhook calls at once, each with its own $QUEUE_ITEMS
# payments to update, waits for the executions and checks every payment was
# updated exactly once (exit 1 otherwise).
#
# Scenarios (QUEUE_SCENARIO), all with the sandbox's --bc-limits (Business Central's
# documented per-user limits: 5 at once, 95 queued, 6,000 operations per 5 minutes,
# 429 without Retry-After):
#   bc            (default) 4 × 1,000 updates, the Update stating its journal: ~4,000
#                 counted operations, within the 5-minute budget
#   heavy         4 × 2,000: ~8,000 operations, past the budget, no Retry-After: the
#                 429s are waited out (from the 6th retry of a 429, 60 s each; Max
#                 Retries 10) and every payment is updated once (PASSED, ~5.5 minutes)
#   retry-after   4 × 2,000 with 429s carrying Retry-After: 60 (--throttle 6000/300000/60;
#                 the default of earlier versions of this script, which needed it)
#
# Environment (defaults): QUEUE_SCENARIO bc, QUEUE_RUNS 4, QUEUE_ITEMS (1000; heavy and
# retry-after 2000), QUEUE_WORKERS 2, QUEUE_WORKER_CONCURRENCY 2, QUEUE_MAX_CONCURRENCY 5
# (the node's Max Concurrent Requests), QUEUE_MAX_RETRIES 10, QUEUE_JOURNAL (stated: the
# Update's Journal parameter set; none: left empty, each eTag read by GET, 2 operations
# per update), QUEUE_THROTTLE (the sandbox's --throttle, overrides the scenario's; e.g.
# 6000/300000/60), QUEUE_LATENCY_MS 100, QUEUE_SANDBOX_FLAGS (more sandbox/cli.cts
# flags), QUEUE_WAIT 900 (seconds). See docs/queue-mode.md.

QUEUE_HELPER="scripts/n8n/queue/queue.cjs"
QUEUE_PIDS=()     # n8n main and workers, sandbox (stopped in reverse order)
QUEUE_PG_DIR=""   # set once the PostgreSQL cluster runs
QUEUE_REDIS_PORT=""

# as_postgres <command...>: PostgreSQL refuses to run as root; as root, run it as
# the postgres system user that Debian's package creates.
as_postgres() {
	if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Debian's packages; installed with apt-get when running as root, else how to.
queue_prerequisites() {
	local pg_bin
	pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
	local missing=()
	command -v redis-server >/dev/null || missing+=(redis-server)
	[[ -x "$pg_bin/initdb" ]] || missing+=(postgresql)
	if ((${#missing[@]})); then
		[[ "$(id -u)" == 0 ]] ||
			die "queue needs ${missing[*]}: sudo apt-get update && sudo apt-get install -y ${missing[*]}"
		say "Installing ${missing[*]} with apt-get (once)..."
		(apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}") \
			>"${TMPDIR:-/tmp}/n8n-queue-apt.log" 2>&1 ||
			die "apt-get install ${missing[*]} failed (log: ${TMPDIR:-/tmp}/n8n-queue-apt.log)"
		pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
	fi
	PG_BIN="$pg_bin"
}

start_redis() {
	QUEUE_REDIS_PORT="$(free_port)"
	mkdir -p "$QUEUE_DIR/redis"
	# no persistence: the queue lives as long as this run
	redis-server --bind 127.0.0.1 --port "$QUEUE_REDIS_PORT" --dir "$QUEUE_DIR/redis" \
		--save '' --appendonly no --daemonize yes --pidfile "$QUEUE_DIR/redis/redis.pid" \
		--logfile "$QUEUE_DIR/redis/redis.log" >/dev/null || die "redis-server did not start"
	until redis-cli -p "$QUEUE_REDIS_PORT" ping 2>/dev/null | grep -q PONG; do sleep 0.2; done
	say "Redis $(redis-server --version | grep -o 'v=[0-9.]*') on 127.0.0.1:$QUEUE_REDIS_PORT"
}

start_postgres() {
	QUEUE_PG_PORT="$(free_port)"
	local dir="$QUEUE_DIR/pg"
	install -d -m 700 "$dir"
	[[ "$(id -u)" != 0 ]] || chown postgres:postgres "$dir"
	as_postgres "$PG_BIN/initdb" -D "$dir" -U postgres --auth=trust --encoding=UTF8 >"$RUN_DIR/initdb.log" 2>&1 ||
		die "initdb failed (log: $RUN_DIR/initdb.log)"
	QUEUE_PG_DIR="$dir"
	as_postgres "$PG_BIN/pg_ctl" -D "$dir" -l "$dir/server.log" -w \
		-o "-p $QUEUE_PG_PORT -c listen_addresses=127.0.0.1 -k $dir" start >/dev/null ||
		die "PostgreSQL did not start (log: $dir/server.log)"
	as_postgres "$PG_BIN/createdb" -h 127.0.0.1 -p "$QUEUE_PG_PORT" -U postgres n8n ||
		die "createdb n8n failed"
	say "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$QUEUE_PG_PORT (data: ${dir#"$ROOT"/})"
}

queue_psql() { psql -h 127.0.0.1 -p "$QUEUE_PG_PORT" -U postgres -d n8n -At -F $'\t' -c "$1"; }

# What main and workers share: database, Redis, encryption key (n8n_env), user folder.
queue_env() {
	n8n_env
	export EXECUTIONS_MODE=queue
	export QUEUE_BULL_REDIS_HOST=127.0.0.1 QUEUE_BULL_REDIS_PORT="$QUEUE_REDIS_PORT"
	export DB_TYPE=postgresdb DB_POSTGRESDB_HOST=127.0.0.1 DB_POSTGRESDB_PORT="$QUEUE_PG_PORT"
	export DB_POSTGRESDB_DATABASE=n8n DB_POSTGRESDB_USER=postgres DB_POSTGRESDB_PASSWORD=''
	export N8N_PORT="$(free_port)"
	export WEBHOOK_URL="http://127.0.0.1:$N8N_PORT/"
	export N8N_LOG_LEVEL=info
}

start_queue_sandbox() {
	local log="$RUN_DIR/sandbox.log" throttle=()
	[[ -z "$QUEUE_THROTTLE" ]] || throttle=(--throttle "$QUEUE_THROTTLE")
	# shellcheck disable=SC2086 # QUEUE_SANDBOX_FLAGS: several flags on purpose
	node --import tsx scripts/n8n/queue/sandbox.cts --port 0 --seed 42 \
		--payments "$((QUEUE_RUNS * QUEUE_ITEMS))" --bc-limits "${throttle[@]}" \
		--latency-ms "$QUEUE_LATENCY_MS" ${QUEUE_SANDBOX_FLAGS:-} >"$log" 2>&1 &
	QUEUE_PIDS+=($!)
	until grep -q '^Press Ctrl+C' "$log" 2>/dev/null; do
		kill -0 "${QUEUE_PIDS[-1]}" 2>/dev/null || { cat "$log" >&2; die "the sandbox did not start"; }
		sleep 0.2
	done
	node scripts/n8n/prepare.cjs "$log" "$RUN_DIR" >/dev/null
	QUEUE_REPORT="$(awk '$1 == "report" {print $2}' "$log")"
	curl -s -m 10 "$QUEUE_REPORT/payments" >"$RUN_DIR/queue-payments.json" || die "no answer from $QUEUE_REPORT"
	say "Sandbox --bc-limits (5 at once, 95 queued, ${QUEUE_THROTTLE:-6000/300000, no Retry-After on 429} per user): $(awk '$1 == "API" {print $3}' "$log")"
}

# QUEUE_SCENARIO → QUEUE_ITEMS and QUEUE_THROTTLE defaults (the variables set by hand win).
queue_scenario() {
	QUEUE_SCENARIO="${QUEUE_SCENARIO:-bc}"
	case "$QUEUE_SCENARIO" in
	bc) QUEUE_ITEMS="${QUEUE_ITEMS:-1000}" ;;
	heavy) QUEUE_ITEMS="${QUEUE_ITEMS:-2000}" ;;
	retry-after)
		QUEUE_ITEMS="${QUEUE_ITEMS:-2000}"
		QUEUE_THROTTLE="${QUEUE_THROTTLE:-6000/300000/60}"
		;;
	*) die "unknown QUEUE_SCENARIO '$QUEUE_SCENARIO' (bc, heavy, retry-after)" ;;
	esac
	QUEUE_THROTTLE="${QUEUE_THROTTLE:-}"
	QUEUE_JOURNAL="${QUEUE_JOURNAL:-stated}"
	[[ "$QUEUE_JOURNAL" == stated || "$QUEUE_JOURNAL" == none ]] ||
		die "QUEUE_JOURNAL is '$QUEUE_JOURNAL': stated or none"
	say "Scenario $QUEUE_SCENARIO: $QUEUE_RUNS × $QUEUE_ITEMS updates, journal $QUEUE_JOURNAL"
}

# start_n8n <name> <args...>: one n8n process, its own task broker port and log.
start_n8n() {
	local name="$1"
	shift
	(cd "$N8N_USER_DIR" && N8N_RUNNERS_BROKER_PORT="$(free_port)" exec node "$N8N_BIN" "$@") \
		>"$RUN_DIR/$name.log" 2>&1 &
	QUEUE_PIDS+=($!)
}

wait_for_log() { # <log> <pattern> <what>
	local t=$SECONDS
	until grep -q "$2" "$RUN_DIR/$1.log" 2>/dev/null; do
		((SECONDS - t < 180)) || { tail -n 30 "$RUN_DIR/$1.log" >&2; die "$3 not ready within 180 s"; }
		sleep 1
	done
}

queue_import() {
	node "$QUEUE_HELPER" workflow "$RUN_DIR/sandbox.json" "$RUN_DIR/queue-workflow.json" \
		bc-queue-update "$QUEUE_MAX_CONCURRENCY" "$QUEUE_MAX_RETRIES" "$QUEUE_JOURNAL"
	{
		n8n_cli import:credentials --input="$RUN_DIR/credentials.json" &&
			n8n_cli import:workflow --input="$RUN_DIR/queue-workflow.json" &&
			n8n_cli publish:workflow --id=bcQueueUpdate
	} >"$RUN_DIR/import.log" 2>&1 || { cat "$RUN_DIR/import.log" >&2; die "import into PostgreSQL failed"; }
	say "Imported the credential and the active workflow bcQueueUpdate (Webhook → Split Out → Update) into PostgreSQL"
}

queue_start_n8n() {
	local t=$SECONDS w
	start_n8n main start
	wait_for_log main 'Editor is now accessible' "n8n main"
	for w in $(seq 1 "$QUEUE_WORKERS"); do
		start_n8n "worker$w" worker --concurrency="$QUEUE_WORKER_CONCURRENCY"
	done
	for w in $(seq 1 "$QUEUE_WORKERS"); do wait_for_log "worker$w" 'n8n worker is now ready' "worker $w"; done
	say "n8n main (port $N8N_PORT) and $QUEUE_WORKERS workers (concurrency $QUEUE_WORKER_CONCURRENCY) up in $(elapsed "$t")"
}

# POSTs every run's body at once; the main answers each at once (responseMode onReceived).
queue_trigger_and_wait() {
	local run url="http://127.0.0.1:$N8N_PORT/webhook/bc-queue-update" t0=$SECONDS done_count curls=() pid
	for run in $(seq 1 "$QUEUE_RUNS"); do
		curl -s -m 60 -o "$RUN_DIR/queue-answer-$run.json" -w "%{http_code}" -H 'content-type: application/json' \
			--data-binary "@$RUN_DIR/queue-body-$run.json" "$url" >"$RUN_DIR/queue-answer-$run.code" &
		curls+=($!)
	done
	for pid in "${curls[@]}"; do wait "$pid" || true; done
	say "$QUEUE_RUNS webhook calls answered (HTTP $(for run in $(seq 1 "$QUEUE_RUNS"); do cat "$RUN_DIR/queue-answer-$run.code"; echo -n ' '; done)); waiting for the executions (up to $QUEUE_WAIT s)..."
	while :; do
		done_count="$(queue_psql "select count(*) from execution_entity where \"workflowId\" = 'bcQueueUpdate' and status not in ('new', 'running', 'waiting')")"
		((done_count >= QUEUE_RUNS)) && break
		((SECONDS - t0 < QUEUE_WAIT)) || die "only $done_count of $QUEUE_RUNS executions finished within $QUEUE_WAIT s"
		sleep 2
	done
	QUEUE_SECONDS=$((SECONDS - t0))
	queue_psql "select id, status, round(extract(epoch from \"stoppedAt\" - \"startedAt\")::numeric, 1)
		from execution_entity where \"workflowId\" = 'bcQueueUpdate' order by id" >"$RUN_DIR/queue-executions.tsv"
	# the failed executions' data (n8n's flatted JSON), where the check finds their error message
	queue_psql "select d.\"executionId\", replace(d.data, E'\\n', ' ') from execution_data d
		join execution_entity e on e.id = d.\"executionId\" where e.status = 'error' order by 1" >"$RUN_DIR/queue-errors.tsv"
}

# A run killed with SIGKILL leaves its Redis and PostgreSQL running: stop them by their pid files.
stop_leftovers() {
	local pid
	if [[ -f "$QUEUE_DIR/pg/postmaster.pid" ]]; then
		as_postgres "$PG_BIN/pg_ctl" -D "$QUEUE_DIR/pg" -m fast -w stop >/dev/null 2>&1 || true
	fi
	pid="$(cat "$QUEUE_DIR/redis/redis.pid" 2>/dev/null || true)"
	if [[ -n "$pid" ]] && grep -q redis-server "/proc/$pid/cmdline" 2>/dev/null; then
		kill -TERM "$pid" 2>/dev/null || true
	fi
}

queue_cleanup() {
	local i
	for ((i = ${#QUEUE_PIDS[@]} - 1; i >= 0; i--)); do
		kill -TERM "${QUEUE_PIDS[$i]}" 2>/dev/null || true
	done
	for i in "${QUEUE_PIDS[@]}"; do wait "$i" 2>/dev/null || true; done
	QUEUE_PIDS=()
	if [[ -n "$QUEUE_REDIS_PORT" ]]; then
		redis-cli -p "$QUEUE_REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
		QUEUE_REDIS_PORT=""
	fi
	if [[ -n "$QUEUE_PG_DIR" ]]; then
		as_postgres "$PG_BIN/pg_ctl" -D "$QUEUE_PG_DIR" -m fast -w stop >/dev/null 2>&1 || true
		QUEUE_PG_DIR=""
	fi
	say "Stopped n8n, workers, sandbox, Redis and PostgreSQL of the queue run."
}

run_queue() {
	QUEUE_RUNS="${QUEUE_RUNS:-4}" QUEUE_WORKERS="${QUEUE_WORKERS:-2}"
	QUEUE_WORKER_CONCURRENCY="${QUEUE_WORKER_CONCURRENCY:-2}" QUEUE_MAX_CONCURRENCY="${QUEUE_MAX_CONCURRENCY:-5}"
	QUEUE_MAX_RETRIES="${QUEUE_MAX_RETRIES:-10}"
	QUEUE_LATENCY_MS="${QUEUE_LATENCY_MS:-100}"
	QUEUE_WAIT="${QUEUE_WAIT:-900}"
	# Own user folder, emptied each run (its encryption key is made anew by n8n_env).
	N8N_USER_DIR="${N8N_USER_FOLDER:-$ROOT/.n8n-user/queue}"
	N8N_HOME="$N8N_USER_DIR/.n8n" RUN_DIR="$N8N_USER_DIR/run" QUEUE_DIR="$N8N_USER_DIR/services"
	trap 'rc=$?; queue_cleanup; (exit $rc); cleanup' EXIT
	queue_scenario
	queue_prerequisites
	stop_leftovers
	rm -rf "$QUEUE_DIR"
	[[ "$N8N_USER_DIR" != "$ROOT/.n8n-user/queue" ]] || rm -rf "$N8N_USER_DIR"
	mkdir -p "$RUN_DIR" "$QUEUE_DIR"
	unset N8N_ENCRYPTION_KEY
	install_n8n
	build_and_link
	start_redis
	start_postgres
	queue_env
	start_queue_sandbox
	node "$QUEUE_HELPER" bodies "$RUN_DIR/queue-payments.json" "$QUEUE_RUNS" "$QUEUE_ITEMS" "$RUN_DIR"
	queue_import
	queue_start_n8n
	queue_trigger_and_wait
	local workers=() w
	for w in $(seq 1 "$QUEUE_WORKERS"); do workers+=("$RUN_DIR/worker$w.log"); done
	node "$QUEUE_HELPER" check "$QUEUE_REPORT" "$RUN_DIR" "$RUN_DIR/queue-executions.tsv" "$QUEUE_SECONDS" "${workers[@]}" ||
		die "queue mode check failed (logs in ${RUN_DIR#"$ROOT"/})"
}
