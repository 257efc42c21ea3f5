#!/usr/bin/env bash
# npm run n8n [-- start|execute|trigger|install|help]
#
# A real n8n (2.8.4, installed outside the project's dependency tree) with this
# package loaded as a community package, pointed at the bundled Business Central
# sandbox. See docs/real-n8n.md.
#
#   start    (default) n8n editor on http://localhost:$N8N_PORT with the sandbox,
#            the sandbox credentials and every example workflow; Ctrl+C stops both
#   execute  runs examples/update-customer-payments.n8n.json headless with
#            `n8n execute --id=bcUpdatePayments --rawOutput`, then
#            examples/get-many-customer-payments.json (--id=bcGetManyPayments), prints the results,
#            checks the two payments were updated (exit 1 otherwise), stops
#   trigger  imports two active workflows into a fresh user folder: bcTriggerPolling
#            ("Business Central Trigger (polling, every minute) → No Op", customer
#            payments of the sandbox journal) and bcTriggerWebhook (webhook mode,
#            customers), runs `n8n start` on a free loopback port, waits for their
#            watermarks, changes a payment and a customer through the sandbox's
#            API, waits (up to $TRIGGER_WAIT s) for the executions in n8n's SQLite
#            database and checks each holds the record with `event`; one
#            PASSED/FAILED line per check, exit 1 on a failure
#   queue    queue mode: Redis, PostgreSQL, n8n main + 2 workers; 4 webhook calls × 1,000
#            payment updates at once; checks each updated exactly once (scripts/n8n/queue.sh)
#   install  only installs n8n into $N8N_APP_DIR (done by the others when missing)
#
# Environment (defaults):
#   N8N_APP_DIR      ~/.cache/n8n-nodes-business-central/n8n-app   where n8n is installed (own
#                    package.json; outside the repo: `n8n-node build` scans the project folder and
#                    runs out of memory on the 2.3 GB of an n8n install inside it)
#   N8N_USER_FOLDER  <repo>/.n8n-user   n8n's data (SQLite, encryption key) in .n8n/
#                    (trigger: <repo>/.n8n-user/trigger, its database emptied each run)
#   N8N_PORT         5678               editor port (start; trigger: a free port)
#   TRIGGER_WAIT     150                trigger: seconds to wait for the execution
#   SANDBOX_PORT     8790               Business Central sandbox port on 127.0.0.1
#   N8N_RUNNERS_BROKER_PORT             task broker port: 5679 for start, a free
#                                       port for execute (so both can run at once)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

N8N_VERSION="2.8.4"
DEFAULT_APP_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-business-central/n8n-app"
MODE="${1:-start}"
if [[ "$MODE" == trigger && -z "${N8N_USER_FOLDER:-}" ]]; then
	N8N_USER_FOLDER="$ROOT/.n8n-user/trigger" # own data: its active workflow stays out of `start`
fi
N8N_APP_DIR="$(mkdir -p "${N8N_APP_DIR:-$DEFAULT_APP_DIR}" && cd "${N8N_APP_DIR:-$DEFAULT_APP_DIR}" && pwd)"
N8N_USER_DIR="$(mkdir -p "${N8N_USER_FOLDER:-$ROOT/.n8n-user}" && cd "${N8N_USER_FOLDER:-$ROOT/.n8n-user}" && pwd)"
N8N_BIN="$N8N_APP_DIR/node_modules/n8n/bin/n8n"
N8N_HOME="$N8N_USER_DIR/.n8n"
RUN_DIR="$N8N_USER_DIR/run" # generated files: sandbox log, import files, last execute output
SANDBOX_PORT="${SANDBOX_PORT:-8790}"
PACKAGE_NAME="$(node -p "require('./package.json').name")"
WORKFLOW_ID="bcUpdatePayments" # examples/update-customer-payments.n8n.json (see scripts/n8n/prepare.cjs)

SANDBOX_PID=""
N8N_PID=""
T0=$SECONDS

if [[ -t 1 ]]; then B=$'\033[1m' R=$'\033[1;31m' N=$'\033[0m'; else B="" R="" N=""; fi
say() { printf '%s[n8n.sh]%s %s\n' "$B" "$N" "$*"; }
die() {
	printf '%s[n8n.sh] error:%s %s\n' "$R" "$N" "$*" >&2
	exit 1
}
elapsed() { echo "$((SECONDS - $1)) s"; }

usage() {
	sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'
}

# Something already listens on 127.0.0.1:$1?
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
	node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

check_node() {
	node -e "
		const [maj, min] = process.versions.node.split('.').map(Number);
		if (maj < 20 || (maj === 20 && min < 19) || maj > 24) {
			console.error('n8n ${N8N_VERSION} needs Node.js >=20.19 <=24.x; this is ' + process.version);
			process.exit(1);
		}" || die "unsupported Node.js version"
}

# ---------------------------------------------------------------- 1. install
n8n_installed() {
	[[ -f "$N8N_APP_DIR/.installed-$N8N_VERSION" && -f "$N8N_BIN" ]] &&
		[[ "$(node -p "require('$N8N_APP_DIR/node_modules/n8n/package.json').version" 2>/dev/null)" == "$N8N_VERSION" ]]
}

install_n8n() {
	if n8n_installed; then
		say "n8n $N8N_VERSION already installed in ${N8N_APP_DIR#"$ROOT"/} ($(cat "$N8N_APP_DIR/.installed-$N8N_VERSION"))"
		return
	fi
	check_node
	local t=$SECONDS log="$N8N_APP_DIR/npm-install.log"
	say "Installing n8n $N8N_VERSION into ${N8N_APP_DIR#"$ROOT"/} (own package.json, not the project's dependencies)."
	say "This takes about 3-8 minutes and ~2.3 GB; npm's log: ${log#"$ROOT"/}"
	rm -f "$N8N_APP_DIR"/.installed-*
	# overrides: one of n8n's packages points xlsx at a tarball outside the npm
	# registry; 0.18.5 is the newest xlsx on the registry.
	# allowScripts (npm 11's install-script policy; older npm ignores it): the
	# install scripts of n8n's tree as they ran when this was verified; only
	# sqlite3's is required. @scarf/scarf's is install telemetry: denied.
	cat >"$N8N_APP_DIR/package.json" <<JSON
{
	"name": "n8n-app-for-business-central-dev",
	"private": true,
	"description": "n8n ${N8N_VERSION} for npm run n8n (scripts/n8n.sh). Not part of the package; safe to delete.",
	"dependencies": { "n8n": "${N8N_VERSION}" },
	"overrides": { "xlsx": "0.18.5" },
	"allowScripts": {
		"sqlite3": true,
		"@parcel/watcher": true,
		"@sentry/node-cpu-profiler": true,
		"@sentry/node-native-stacktrace": true,
		"cpu-features": true,
		"msgpackr-extract": true,
		"oracledb": true,
		"protobufjs": true,
		"ssh2": true,
		"@scarf/scarf": false
	}
}
JSON
	# Install scripts on (the project's .npmrc turns them off for its own dev
	# install, and this directory has its own package.json, but be explicit):
	# sqlite3 has no prebuilt binary in its package and is compiled with node-gyp
	# against Node's headers (its prebuild download fails quickly offline).
	local nodedir_env=()
	if [[ -z "${npm_config_nodedir:-}" && -f /usr/include/node/common.gypi ]] &&
		[[ "$(npm config get nodedir 2>/dev/null)" =~ ^(undefined|null|)$ ]]; then
		nodedir_env=(npm_config_nodedir=/usr)
	fi
	if ! (cd "$N8N_APP_DIR" && env "${nodedir_env[@]}" SCARF_ANALYTICS=false DO_NOT_TRACK=1 \
		npm install --omit=dev --ignore-scripts=false --no-audit --no-fund --loglevel=warn >"$log" 2>&1); then
		tail -n 40 "$log" >&2
		die "npm install of n8n $N8N_VERSION failed after $(elapsed "$t") (full log: $log)"
	fi
	node -e "require('$N8N_APP_DIR/node_modules/sqlite3')" ||
		die "n8n installed but its SQLite driver (sqlite3) does not load; see $log"
	echo "installed $(date -u +%Y-%m-%dT%H:%M:%SZ) in $(elapsed "$t")" >"$N8N_APP_DIR/.installed-$N8N_VERSION"
	say "n8n $N8N_VERSION installed in $(elapsed "$t") ($(du -sh "$N8N_APP_DIR" 2>/dev/null | cut -f1))."
}

# ------------------------------------------------------ 2. build and link
build_and_link() {
	local t=$SECONDS
	if [[ ! -x node_modules/.bin/n8n-node || ! -d node_modules/tsx ]]; then
		say "Installing the project's dev dependencies (npm ci)..."
		npm ci --no-audit --no-fund
	fi
	mkdir -p "$RUN_DIR"
	# Like scripts/ensureBuilt.cts (npm run demo): build when dist/ is missing or
	# older than the sources; N8N_BUILD=1 forces it. (`n8n-node build` empties
	# dist/ first, so a needless rebuild can break an n8n or a test reading it.)
	local main="dist/nodes/BusinessCentral/BusinessCentral.node.js"
	if [[ "${N8N_BUILD:-}" == 1 || ! -f "$main" ]] ||
		[[ -n "$(find nodes credentials icons package.json tsconfig.json -newer "$main" -print -quit 2>/dev/null)" ]]; then
		say "Building the package (npm run build)..."
		npm run build >"$RUN_DIR/build.log" 2>&1 || {
			cat "$RUN_DIR/build.log" >&2
			die "npm run build failed"
		}
		[[ -f "$main" ]] || die "npm run build left no $main"
	else
		say "dist/ is up to date with nodes/, credentials/ and icons/ (N8N_BUILD=1 rebuilds)."
	fi
	local link="$N8N_HOME/nodes/node_modules/$PACKAGE_NAME"
	mkdir -p "$(dirname "$link")"
	if [[ -e "$link" && ! -L "$link" ]]; then
		die "$link exists and is not a symlink (an npm-installed copy?); remove it first"
	fi
	ln -sfn "$ROOT" "$link"
	say "Package ready in $(elapsed "$t"); linked ${link#"$ROOT"/} -> $ROOT"
}

# ------------------------------------------------------------- 3. sandbox
start_sandbox() {
	port_busy "$SANDBOX_PORT" &&
		die "127.0.0.1:$SANDBOX_PORT is in use (another npm run n8n?); set SANDBOX_PORT to a free port"
	local log="$RUN_DIR/sandbox.log" t=$SECONDS
	say "Starting the Business Central sandbox on 127.0.0.1:$SANDBOX_PORT (seed 42)..."
	node --import tsx sandbox/cli.cts --port "$SANDBOX_PORT" --seed 42 >"$log" 2>&1 &
	SANDBOX_PID=$!
	for _ in $(seq 1 150); do
		grep -q '^Press Ctrl+C' "$log" 2>/dev/null && break
		kill -0 "$SANDBOX_PID" 2>/dev/null || {
			cat "$log" >&2
			die "the sandbox did not start"
		}
		sleep 0.2
	done
	grep -q '^Press Ctrl+C' "$log" || die "the sandbox did not report ready within 30 s (log: $log)"
	node scripts/n8n/prepare.cjs "$log" "$RUN_DIR" >/dev/null
	local base token code
	base="$(node -p "require('$RUN_DIR/sandbox.json').baseUrl")"
	token="$(node -p "require('$RUN_DIR/sandbox.json').token")"
	code="$(curl -s -m 5 -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$base/companies?\$top=1")" || true
	[[ "$code" == 200 ]] || die "the sandbox does not answer (GET $base/companies gave '$code')"
	say "Sandbox answers (pid $SANDBOX_PID, $(elapsed "$t")): $base"
}

# --------------------------------------------------------- n8n environment
n8n_env() {
	export N8N_USER_FOLDER="$N8N_USER_DIR"
	# A fixed key per user folder: credentials are encrypted with it on import.
	if [[ -z "${N8N_ENCRYPTION_KEY:-}" ]]; then
		local keyfile="$N8N_USER_DIR/encryption-key"
		[[ -s "$keyfile" ]] || (umask 077 && node -e "console.log(require('crypto').randomBytes(24).toString('hex'))" >"$keyfile")
		N8N_ENCRYPTION_KEY="$(cat "$keyfile")"
	fi
	export N8N_ENCRYPTION_KEY
	# Local and offline: loopback only, no telemetry, no calls home.
	export N8N_LISTEN_ADDRESS="${N8N_LISTEN_ADDRESS:-127.0.0.1}"
	export N8N_HOST="${N8N_HOST:-localhost}"
	export N8N_PORT="${N8N_PORT:-5678}"
	export N8N_PROTOCOL="${N8N_PROTOCOL:-http}"
	export N8N_SECURE_COOKIE="${N8N_SECURE_COOKIE:-false}"
	export N8N_RUNNERS_BROKER_LISTEN_ADDRESS="${N8N_RUNNERS_BROKER_LISTEN_ADDRESS:-127.0.0.1}"
	export N8N_DIAGNOSTICS_ENABLED=false
	export N8N_PERSONALIZATION_ENABLED=false
	export N8N_VERSION_NOTIFICATIONS_ENABLED=false
	export N8N_TEMPLATES_ENABLED=false
	export N8N_VERIFIED_PACKAGES_ENABLED=false
	export N8N_HIRING_BANNER_ENABLED=false
	export N8N_DYNAMIC_BANNERS_ENABLED=false
	export N8N_LICENSE_AUTO_RENEW_ENABLED=false
	export N8N_REINSTALL_MISSING_PACKAGES=false
	export N8N_COMMUNITY_PACKAGES_ENABLED=true
	# `execute` prints its result at info level: warn would hide it.
	export N8N_LOG_LEVEL="${N8N_LOG_LEVEL:-info}"
}

# Runs n8n from the user folder (n8n reads a .env from its working directory).
n8n_cli() { (cd "$N8N_USER_DIR" && node "$N8N_BIN" "$@"); }

# ------------------------------------------------------------- 4. import
import_all() {
	local t=$SECONDS log="$RUN_DIR/import.log"
	: >"$log"
	say "Importing credentials and workflows into n8n (${N8N_HOME#"$ROOT"/})..."
	n8n_cli import:credentials --input="$RUN_DIR/credentials.json" >>"$log" 2>&1 &&
		n8n_cli import:workflow --input="$RUN_DIR/workflows.json" >>"$log" 2>&1 || {
		cat "$log" >&2
		die "import failed"
	}
	grep -E '^Successfully imported' "$log" | sed 's/^/         /'
	say "Imported in $(elapsed "$t"): credentials 'Business Central sandbox (bearer)' (bcSandboxToken)," \
		"'Business Central sandbox (OAuth2 client credentials)' (bcSandboxOAuth2); workflows $WORKFLOW_ID, bcUpdatePaymentsPinned, bcGetPayment, bcGetManyPayments, bcGetManyOAuth2, bcCreatePayment, bcDeletePayment"
}

setup() {
	install_n8n
	build_and_link
	n8n_env
	start_sandbox
	import_all
}

# --------------------------------------------------------------- cleanup
cleanup() {
	local rc=$?
	if [[ -n "$N8N_PID" ]] && kill -0 "$N8N_PID" 2>/dev/null; then
		say "Stopping n8n (pid $N8N_PID)..."
		kill -TERM "$N8N_PID" 2>/dev/null || true
		wait "$N8N_PID" 2>/dev/null || true
	fi
	if [[ -n "$SANDBOX_PID" ]]; then
		kill -TERM "$SANDBOX_PID" 2>/dev/null || true # (Ctrl+C may have stopped it already)
		wait "$SANDBOX_PID" 2>/dev/null || true
		say "Sandbox stopped."
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# ----------------------------------------------------------------- modes
run_start() {
	setup
	port_busy "$N8N_PORT" && die "127.0.0.1:$N8N_PORT is in use; set N8N_PORT to a free port"
	export N8N_RUNNERS_BROKER_PORT="${N8N_RUNNERS_BROKER_PORT:-5679}"
	port_busy "$N8N_RUNNERS_BROKER_PORT" &&
		die "127.0.0.1:$N8N_RUNNERS_BROKER_PORT (task broker) is in use; set N8N_RUNNERS_BROKER_PORT"
	say "Starting n8n $N8N_VERSION (its log follows)..."
	(cd "$N8N_USER_DIR" && exec node "$N8N_BIN" start) &
	N8N_PID=$!
	local t=$SECONDS
	# /healthz answers a moment before the editor is served: wait for both.
	until curl -s -m 2 "http://127.0.0.1:$N8N_PORT/healthz" 2>/dev/null | grep -q '"ok"' &&
		[[ "$(curl -s -m 2 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$N8N_PORT/")" == 200 ]]; do
		kill -0 "$N8N_PID" 2>/dev/null || die "n8n exited during start (see above)"
		((SECONDS - t < 120)) || die "n8n did not answer on port $N8N_PORT within 120 s"
		sleep 1
	done
	say "──────────────────────────────────────────────────────────────────────"
	say "n8n $N8N_VERSION is up after $(elapsed "$T0"): http://localhost:$N8N_PORT"
	say "  First visit: n8n asks for an owner account (kept in ${N8N_USER_DIR#"$ROOT"/} only)."
	say "  Workflows: 'Business Central: update two customer payments (automatic eTag)'"
	say "    (pinned data, click Execute workflow) and the Code-node variant ($WORKFLOW_ID)."
	say "  Credentials point at the sandbox, which starts fresh (seed 42) with every run."
	say "  Ctrl+C stops n8n and the sandbox."
	say "──────────────────────────────────────────────────────────────────────"
	local rc=0
	wait "$N8N_PID" || rc=$? # Ctrl+C / SIGTERM land in the traps above instead
	N8N_PID=""
	((rc == 0)) || die "n8n exited with $rc"
}

# execute_checked <workflow id> <output file name> <check script> <what failed> [print]:
# `n8n execute --id=… --rawOutput` into $RUN_DIR/<output file>, then the check
# script on that output and the sandbox facts; dies when either fails.
execute_checked() {
	local id="$1" out="$RUN_DIR/$2" check="$3" failure="$4" print="${5:-}" t=$SECONDS rc=0
	say "Running: n8n execute --id=$id --rawOutput (task broker port $N8N_RUNNERS_BROKER_PORT)"
	n8n_cli execute --id="$id" --rawOutput >"$out" 2>&1 || rc=$?
	local took
	took="$(elapsed "$t")"
	[[ -z "$print" ]] || cat "$out"
	say "n8n execute exited with $rc after $took (output kept in ${out#"$ROOT"/})"
	node "$check" "$out" "$RUN_DIR/sandbox.json" || die "$failure"
	((rc == 0)) || die "n8n execute exited with $rc"
}

run_execute() {
	setup
	export N8N_RUNNERS_BROKER_PORT="${N8N_RUNNERS_BROKER_PORT:-$(free_port)}"
	execute_checked "$WORKFLOW_ID" execute.out scripts/n8n/check-execute.cjs \
		"the workflow did not update the payments" print
	# A second operation in the real app: Get Many (journal scope, Return All, date filter).
	execute_checked bcGetManyPayments execute-get-many.out scripts/n8n/check-get-many.cjs \
		"Get Many did not return the sandbox's payments"
	# The same with the OAuth2 client-credentials credential: n8n itself gets the token.
	execute_checked bcGetManyOAuth2 execute-get-many-oauth2.out scripts/n8n/check-get-many.cjs \
		"Get Many with OAuth2 did not return the sandbox's payments"
	say "execute passed in $(elapsed "$T0") in all."
}

# trigger: the Business Central Trigger in a running n8n, polling and webhook
# (scripts/n8n/trigger.cjs; workflows bcTriggerPolling and bcTriggerWebhook).
run_trigger() {
	local helper="scripts/n8n/trigger.cjs" db="$N8N_HOME/database.sqlite" max_wait="${TRIGGER_WAIT:-150}"
	# A fresh database: no watermark, subscription or executions of an earlier run.
	rm -f "$db" "$db"-journal "$db"-wal "$db"-shm
	setup
	node "$helper" workflow "$RUN_DIR/sandbox.json" "$RUN_DIR/trigger-workflows.json"
	local kind id
	n8n_cli import:workflow --input="$RUN_DIR/trigger-workflows.json" >>"$RUN_DIR/import.log" 2>&1 || {
		cat "$RUN_DIR/import.log" >&2
		die "import of the trigger workflows failed"
	}
	# n8n 2.x imports workflows unpublished (inactive): publish the imported versions.
	for id in bcTriggerPolling bcTriggerWebhook; do
		n8n_cli publish:workflow --id="$id" >>"$RUN_DIR/import.log" 2>&1 || {
			cat "$RUN_DIR/import.log" >&2
			die "could not publish (activate) $id"
		}
	done
	# A free port; the production webhook URL is http://localhost:$N8N_PORT/webhook/…
	# (loopback, which the sandbox calls).
	export N8N_PORT="$(free_port)"
	export N8N_RUNNERS_BROKER_PORT="${N8N_RUNNERS_BROKER_PORT:-$(free_port)}"
	local log="$RUN_DIR/n8n-start.log" t=$SECONDS
	say "Starting n8n $N8N_VERSION on 127.0.0.1:$N8N_PORT (log: ${log#"$ROOT"/})..."
	(cd "$N8N_USER_DIR" && exec node "$N8N_BIN" start) >"$log" 2>&1 &
	N8N_PID=$!
	until curl -s -m 2 "http://127.0.0.1:$N8N_PORT/healthz" 2>/dev/null | grep -q '"ok"'; do
		kill -0 "$N8N_PID" 2>/dev/null || { tail -n 40 "$log" >&2; die "n8n exited during start"; }
		((SECONDS - t < 120)) || { tail -n 40 "$log" >&2; die "n8n did not answer on port $N8N_PORT within 120 s"; }
		sleep 1
	done
	say "n8n answers after $(elapsed "$t"); waiting until both triggers stored their watermark (activation)..."
	for kind in polling webhook; do
		until node "$helper" primed "$db" "$N8N_APP_DIR" "$kind" 2>/dev/null; do
			kill -0 "$N8N_PID" 2>/dev/null || { tail -n 40 "$log" >&2; die "n8n exited"; }
			((SECONDS - t < 180)) || { tail -n 40 "$log" >&2; die "the $kind trigger stored no watermark within 180 s (not active?)"; }
			sleep 1
		done
	done
	say "Triggers primed after $(elapsed "$t"); changing a payment and a customer in the sandbox..."
	for kind in polling webhook; do
		node "$helper" change "$kind" "$RUN_DIR/sandbox.json" "$RUN_DIR/trigger-change-$kind.json" | sed 's/^/         /'
	done
	t=$SECONDS
	say "Waiting up to $max_wait s for the executions (polling: the next poll; webhook: the sandbox's notification)..."
	local -A result=([polling]=FAILED [webhook]=FAILED) took=()
	while ((SECONDS - t < max_wait)); do
		for kind in polling webhook; do
			[[ "${result[$kind]}" == PASSED ]] && continue
			if node "$helper" check "$db" "$N8N_APP_DIR" "$kind" "$RUN_DIR/trigger-change-$kind.json" \
				>"$RUN_DIR/trigger-check-$kind.out" 2>&1; then
				result[$kind]=PASSED
				took[$kind]="$(elapsed "$t")"
			fi
		done
		[[ "${result[polling]}${result[webhook]}" == PASSEDPASSED ]] && break
		kill -0 "$N8N_PID" 2>/dev/null || break
		sleep 3
	done
	local failed=0
	for kind in polling webhook; do
		sed "s/^/  [$kind]/" "$RUN_DIR/trigger-check-$kind.out"
	done
	echo "${result[polling]}: trigger polling (customer payment changed in the sandbox → execution with the payment and 'event'${took[polling]:+, after ${took[polling]}})"
	echo "${result[webhook]}: trigger webhook (customer changed in the sandbox → notification to n8n's production webhook URL → execution with the customer and 'event'${took[webhook]:+, after ${took[webhook]}})"
	for kind in polling webhook; do [[ "${result[$kind]}" == PASSED ]] || failed=1; done
	((failed == 0)) || { tail -n 30 "$log" >&2; die "trigger check failed (n8n log: $log)"; }
}

case "$MODE" in
start) run_start ;;
execute) run_execute ;;
trigger) run_trigger ;;
queue) source scripts/n8n/queue.sh && run_queue ;;
install) install_n8n ;;
help | -h | --help) usage ;;
*)
	usage >&2
	die "unknown mode '$MODE' (start, execute, trigger, queue, install, help)"
	;;
esac
