#!/usr/bin/env bash
# The bug zoo runner (issue #11, docs/bugzoo.md).
#
#   scripts/bugzoo.sh check tests/bugzoo/NN-x.patch   one entry: exit 0 iff its
#                                                      finding is found, written, replayed
#   scripts/bugzoo.sh baseline [ENTRY...]             unmodified code: every campaign clean
#   scripts/bugzoo.sh bench [--runs N] [--cap N] [--time-cap S] [--strategies "pct random dfs stress"]
#                           [ENTRY...]                 detection benchmark (markdown on stdout)
#   scripts/bugzoo.sh prepare                          sync + build the scratch tree only
#
# Every entry is applied to a scratch copy of the source tree in
# $APFSIM_BUGZOO_DIR (default build/bugzoo): src/ (the copy), build/ (one
# Release build dir, incremental), work/ (campaign outputs), logs/. The
# main tree is never modified. A lock (flock on $APFSIM_BUGZOO_DIR/lock)
# serialises users of the scratch tree; the patch is reverted on every path
# (trap), and a patch left by a killed run is undone by the next run.
#
# Exit codes (docs/bugzoo.md):
#   0 pass              5 build failed          10 baseline not clean
#   2 usage             6 no finding            11 apfsim refused or failed
#   3 bad entry file    7 wrong finding class   12 lock not obtained
#   4 patch won't apply 8 finding not written   13 scratch tree error (sync, revert)
#                       9 replay did not reproduce
# Environment: APFSIM_BUGZOO_DIR, APFSIM_BUGZOO_JOBS (build jobs, default 2),
# APFSIM_BUGZOO_LOCK_WAIT (seconds, default 1800), APFSIM_BUGZOO_CMAKE_ARGS.
set -uo pipefail

readonly E_USAGE=2 E_ENTRY=3 E_APPLY=4 E_BUILD=5 E_NOFIND=6 E_CLASS=7 E_WRITE=8 E_REPLAY=9
readonly E_BASELINE=10 E_APFSIM=11 E_LOCK=12 E_SCRATCH=13

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd) || exit $E_SCRATCH
ZOO=${APFSIM_BUGZOO_DIR:-$ROOT/build/bugzoo}
JOBS=${APFSIM_BUGZOO_JOBS:-2}
LOCK_WAIT=${APFSIM_BUGZOO_LOCK_WAIT:-1800}
SRC='' BLD='' WORK='' LOGS='' APFSIM=''
PATCHED=""        # the entry file applied to the scratch tree, if any
PATCHED_ID=""

msg() { echo "bugzoo: $*" >&2; }
die() {
	local code=$1
	shift
	echo "bugzoo: error: $*" >&2
	exit "$code"
}

usage() {
	sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
	exit $E_USAGE
}

# ---- Entry files ----

# parse_entry FILE: sets E_FILE E_ID E_NN E_NAME E_TITLE E_ORIGIN E_EXPECT E_SCEN
# (a builtin name or an absolute path) E_STRAT E_SEED_A E_SEED_B E_ARGS E_TRACE.
parse_entry() {
	local file=$1 line key value sep=0
	[[ -f $file && -r $file ]] || die $E_ENTRY "$file: no such entry file"
	E_FILE=$(cd "$(dirname "$file")" && pwd)/$(basename "$file")
	E_ID=$(basename "$file" .patch)
	E_NN="" E_NAME="" E_TITLE="" E_ORIGIN="" E_EXPECT="" E_SCEN="" E_STRAT=""
	E_SEED_A="" E_SEED_B="" E_ARGS="" E_TRACE=""
	local seeds="" have_args=0
	# shellcheck disable=SC2034 # E_TITLE, E_ORIGIN, E_TRACE: required, read by people
	while IFS= read -r line || [[ -n $line ]]; do
		if [[ $line == "---" ]]; then
			sep=1
			break
		fi
		[[ -z $line ]] && continue
		if [[ ! $line =~ ^([A-Za-z-]+):[[:space:]]*(.*)$ ]]; then
			die $E_ENTRY "$E_ID: header line is not 'Key: value': $line"
		fi
		key=${BASH_REMATCH[1]}
		value=${BASH_REMATCH[2]%"${BASH_REMATCH[2]##*[![:space:]]}"}
		case $key in
		Bugzoo-Entry) E_NN=${value%% *}; E_NAME=${value#* } ;;
		Title) E_TITLE=$value ;;
		Origin) E_ORIGIN=$value ;;
		Expect) E_EXPECT=$value ;;
		Scenario) E_SCEN=$value ;;
		Strategy) E_STRAT=$value ;;
		Seeds) seeds=$value ;;
		Args) E_ARGS=$value; have_args=1 ;;
		Trace) E_TRACE=$value ;;
		*) ;; # other keys (e.g. Note) are for readers only
		esac
	done <"$file"
	((sep)) || die $E_ENTRY "$E_ID: no '---' line between the header and the diff"
	local k var
	for k in Bugzoo-Entry:E_NN Title:E_TITLE Origin:E_ORIGIN Expect:E_EXPECT \
		Scenario:E_SCEN Strategy:E_STRAT Seeds:seeds Trace:E_TRACE; do
		var=${k#*:}
		[[ -n ${!var} ]] || die $E_ENTRY "$E_ID: missing header key '${k%%:*}'"
	done
	[[ $E_NN =~ ^[0-9][0-9]$ && $E_NAME =~ ^[a-z0-9][a-z0-9-]*$ ]] ||
		die $E_ENTRY "$E_ID: Bugzoo-Entry '$E_NN $E_NAME' is not 'NN short-name'"
	[[ "$E_NN-$E_NAME" == "$E_ID" ]] ||
		die $E_ENTRY "$E_ID: Bugzoo-Entry '$E_NN $E_NAME' does not match the file name"
	[[ $E_EXPECT =~ ^[a-z][a-z0-9-]*$ ]] || die $E_ENTRY "$E_ID: Expect '$E_EXPECT' is not a class name"
	case $E_STRAT in pct | random | dfs | rr) ;; *)
		die $E_ENTRY "$E_ID: Strategy '$E_STRAT' is not pct, random, dfs or rr" ;;
	esac
	[[ $seeds =~ ^([0-9]+)\.\.([0-9]+)$ ]] || die $E_ENTRY "$E_ID: Seeds '$seeds' is not A..B"
	E_SEED_A=${BASH_REMATCH[1]} E_SEED_B=${BASH_REMATCH[2]}
	((10#$E_SEED_B >= 10#$E_SEED_A)) || die $E_ENTRY "$E_ID: Seeds '$seeds': B < A"
	if [[ $E_SCEN == */* || $E_SCEN == *.json ]]; then
		local p
		p=$(dirname "$E_FILE")/$E_SCEN
		[[ -f $p ]] || die $E_ENTRY "$E_ID: Scenario file $E_SCEN not found under tests/bugzoo/"
		E_SCEN=$p
	fi
	((have_args)) || E_ARGS=""
	grep -q '^diff --git a/' "$file" || die $E_ENTRY "$E_ID: no 'diff --git a/...' in the file"
}

# ---- Scratch tree ----

# The files of the source tree, NUL-separated, relative to ROOT.
source_files() {
	local zoo_rel=""
	case $ZOO/ in "$ROOT"/*) zoo_rel=${ZOO#"$ROOT"/}/ ;; esac
	if [[ -e $ROOT/.git ]] && git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1; then
		git -C "$ROOT" ls-files -z --cached --others --exclude-standard
	else
		(cd "$ROOT" && find . \( -path ./build -o -path ./.git -o -path './build-*' \) -prune \
			-o -type f -print0 | sed -z 's|^\./||')
	fi | { if [[ -n $zoo_rel ]]; then grep -zv "^${zoo_rel//./\\.}"; else cat; fi; }
}

# Bring src/ up to date with the main tree: files whose (mtime, size) changed
# since the last sync are copied with a new mtime (so the incremental build
# recompiles them), files gone from the tree are removed.
sync_scratch() {
	local new=$ZOO/manifest.new old=$ZOO/manifest changed=$ZOO/changed.list f
	mkdir -p "$SRC" || die $E_SCRATCH "cannot create $SRC"
	# A patch left applied by a killed run: restore its files from the tree.
	if [[ -f $ZOO/patched ]]; then
		msg "restoring files left patched by an interrupted run ($(head -n1 "$ZOO/patched"))"
		while IFS= read -r f; do
			[[ -f $ROOT/$f ]] && cp "$ROOT/$f" "$SRC/$f"
		done < <(tail -n +2 "$ZOO/patched")
		rm -f "$ZOO/patched"
	fi
	[[ -f $old ]] || : >"$old"
	(cd "$ROOT" && source_files | xargs -0 -r stat --printf '%n\t%.9Y\t%s\n' 2>/dev/null) |
		LC_ALL=C sort >"$new" || die $E_SCRATCH "cannot list the source tree"
	[[ -s $new ]] || die $E_SCRATCH "the source tree $ROOT has no files"
	LC_ALL=C comm -23 "$new" "$old" | cut -f1 >"$changed"
	# files gone from the tree
	LC_ALL=C comm -13 <(cut -f1 "$new") <(cut -f1 "$old") | while IFS= read -r f; do
		rm -f "$SRC/$f"
	done
	if [[ -s $changed ]]; then
		msg "syncing $(wc -l <"$changed") file(s) into $SRC"
		# tar -m: extracted files get the current time, never an older one
		tr '\n' '\0' <"$changed" | (cd "$ROOT" && tar --null -T - -cf -) |
			tar -C "$SRC" -xmf - || die $E_SCRATCH "copying the source tree to $SRC failed"
	fi
	mv "$new" "$old"
}

build_scratch() {
	local what=$1 log
	mkdir -p "$LOGS"
	if [[ -f $BLD/CMakeCache.txt ]] &&
		! grep -qx "CMAKE_HOME_DIRECTORY:INTERNAL=$SRC" "$BLD/CMakeCache.txt"; then
		rm -rf "$BLD"
	fi
	if [[ ! -f $BLD/CMakeCache.txt ]]; then
		msg "configuring the scratch build (Release) in $BLD"
		log=$LOGS/configure.log
		# shellcheck disable=SC2086
		if ! cmake -S "$SRC" -B "$BLD" -DCMAKE_BUILD_TYPE=Release \
			${APFSIM_BUGZOO_CMAKE_ARGS:-} >"$log" 2>&1; then
			rm -f "$BLD/CMakeCache.txt"
			die $E_BUILD "$what: configure failed: $(grep -m1 -i 'error' "$log") (log: $log)"
		fi
	fi
	msg "building apfsim ($what)"
	log=$LOGS/build.log
	if ! cmake --build "$BLD" --target apfsim -j "$JOBS" >"$log" 2>&1; then
		die $E_BUILD "$what: build failed: $(grep -m1 -E 'error|Error' "$log") (log: $log)"
	fi
	APFSIM=$BLD/apfsim/apfsim
	[[ -x $APFSIM ]] || die $E_BUILD "$what: no $APFSIM after the build"
}

# git apply in the scratch tree, never in an enclosing repository.
zoo_git_apply() {
	(cd "$SRC" && GIT_CEILING_DIRECTORIES=$(dirname "$SRC") git apply "$@")
}

apply_entry() {
	local files f err
	files=$(zoo_git_apply --numstat "$E_FILE" 2>&1) ||
		die $E_APPLY "$E_ID: not a patch git apply can read: ${files%%$'\n'*}"
	while IFS=$'\t' read -r _ _ f; do
		case $f in guestlib/* | hostlib/* | sim/* | xenshim/*) ;; *)
			die $E_ENTRY "$E_ID: the diff touches $f (only guestlib/, hostlib/, sim/, xenshim/)" ;;
		esac
	done <<<"$files"
	if ! err=$(zoo_git_apply --check "$E_FILE" 2>&1); then
		die $E_APPLY "$E_ID: the patch does not apply: ${err%%$'\n'*}"
	fi
	{
		echo "$E_FILE"
		cut -f3 <<<"$files"
	} >"$ZOO/patched"
	PATCHED=$E_FILE
	PATCHED_ID=$E_ID
	err=$(zoo_git_apply "$E_FILE" 2>&1) || die $E_APPLY "$E_ID: the patch does not apply: ${err%%$'\n'*}"
	msg "$E_ID: patch applied ($(cut -f3 <<<"$files" | tr '\n' ' '))"
}

revert_entry() {
	[[ -n $PATCHED ]] || return 0
	local f ok=1
	if ! zoo_git_apply -R "$PATCHED" >/dev/null 2>&1; then
		ok=0
		# fall back to the tree's copy of every patched file
		while IFS= read -r f; do
			cp "$ROOT/$f" "$SRC/$f" 2>/dev/null || ok=0
		done < <(tail -n +2 "$ZOO/patched")
		[[ $ok == 0 ]] || ok=1
	fi
	# a reverted file is newer than its patched object: the next build recompiles it
	while IFS= read -r f; do touch "$SRC/$f" 2>/dev/null; done < <(tail -n +2 "$ZOO/patched")
	if ((ok)); then
		rm -f "$ZOO/patched"
		msg "$PATCHED_ID: patch reverted"
	else
		echo "bugzoo: error: $PATCHED_ID: could not revert the patch in $SRC (the next run restores it)" >&2
	fi
	PATCHED=""
	return 0
}

on_exit() {
	local rc=$?
	revert_entry
	exit $rc
}

setup() {
	mkdir -p "$ZOO" || die $E_SCRATCH "cannot create $ZOO"
	ZOO=$(cd "$ZOO" && pwd)
	SRC=$ZOO/src BLD=$ZOO/build WORK=$ZOO/work LOGS=$ZOO/logs
	command -v flock >/dev/null || die $E_LOCK "flock (util-linux) is not installed"
	command -v git >/dev/null || die $E_SCRATCH "git is not installed (needed for git apply)"
	exec 9>"$ZOO/lock" || die $E_LOCK "cannot open $ZOO/lock"
	if ! flock -n 9; then
		msg "waiting for the lock $ZOO/lock (another bugzoo run)"
		flock -w "$LOCK_WAIT" 9 || die $E_LOCK "lock $ZOO/lock still held after ${LOCK_WAIT}s"
	fi
	trap on_exit EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	sync_scratch
}

# ---- Campaigns ----

# summary_value FILE KEY: the text after "  KEY" in an apfsim summary.
summary_value() {
	sed -n "s/^  $2 *//p" "$1" | head -n1
}

# A complete finding directory under $1 that reports class $2 (prints its path).
find_finding_dir() {
	local d
	for d in "$1"/*/; do
		d=${d%/}
		[[ -f $d/finding.txt && -f $d/schedule.txt ]] || continue
		grep -q '^replay:' "$d/finding.txt" || continue
		if grep -qE "^class: $2\$|^finding [0-9]+: $2 " "$d/finding.txt"; then
			echo "$d"
			return 0
		fi
	done
	return 1
}

cmd_check() {
	(($# == 1)) || usage
	parse_entry "$1"
	setup
	apply_entry
	build_scratch "$E_ID"
	local out=$WORK/$E_ID rc dir execs stop first_err
	rm -rf "$out" && mkdir -p "$out" || die $E_SCRATCH "cannot create $out"
	msg "$E_ID: apfsim run -s $(basename "$E_SCEN") --strategy $E_STRAT --seeds $E_SEED_A..$E_SEED_B $E_ARGS (expect $E_EXPECT)"
	if [[ $E_EXPECT == none ]]; then
		# A negative control: the change is not a defect in this design
		# (docs/bugzoo.md says why); the campaign must stay clean.
		# shellcheck disable=SC2086
		"$APFSIM" run -s "$E_SCEN" --strategy "$E_STRAT" --seeds "$E_SEED_A..$E_SEED_B" \
			--findings "$out/findings" --stop-on-first -q $E_ARGS >"$out/run.txt" 2>&1
		rc=$?
		case $rc in
		0) ;;
		1) die $E_BASELINE "$E_ID: negative control has findings: $(summary_value "$out/run.txt" findings) (log: $out/run.txt)" ;;
		*) die $E_APFSIM "$E_ID: apfsim run failed with exit $rc (log: $out/run.txt)" ;;
		esac
		execs=$(summary_value "$out/run.txt" executions)
		revert_entry
		echo "bugzoo: PASS $E_ID: negative control, no finding in $execs execution(s) ($E_STRAT, seeds $E_SEED_A..$E_SEED_B)"
		return 0
	fi
	# shellcheck disable=SC2086
	"$APFSIM" run -s "$E_SCEN" --strategy "$E_STRAT" --seeds "$E_SEED_A..$E_SEED_B" \
		--findings "$out/findings" --stop-on "$E_EXPECT" -q $E_ARGS >"$out/run.txt" 2>&1
	rc=$?
	first_err=$(grep -m1 '^apfsim' "$out/run.txt" | grep -v '^apfsim run: scenario')
	case $rc in
	0) die $E_NOFIND "$E_ID: no finding in seeds $E_SEED_A..$E_SEED_B (expected $E_EXPECT; log: $out/run.txt)" ;;
	1) ;;
	2) die $E_APFSIM "$E_ID: apfsim run refused the entry: ${first_err:-exit 2} (log: $out/run.txt)" ;;
	*) die $E_APFSIM "$E_ID: apfsim run failed with exit $rc: ${first_err:-} (log: $out/run.txt)" ;;
	esac
	execs=$(summary_value "$out/run.txt" executions)
	stop=$(summary_value "$out/run.txt" "stop on")
	if [[ $stop != "$E_EXPECT: found at seed "* ]]; then
		die $E_CLASS "$E_ID: findings, but none of class $E_EXPECT: $(summary_value "$out/run.txt" findings) (log: $out/run.txt)"
	fi
	dir=$(find_finding_dir "$out/findings" "$E_EXPECT") ||
		die $E_WRITE "$E_ID: $E_EXPECT found but no complete finding directory reports it under $out/findings"
	msg "$E_ID: $E_EXPECT ${stop#*: } after $execs execution(s): $dir"
	"$APFSIM" replay "$dir" --class "$E_EXPECT" -q >"$out/replay.txt" 2>&1
	rc=$?
	case $rc in
	1) ;;
	0) die $E_REPLAY "$E_ID: apfsim replay $dir did not reproduce $E_EXPECT (log: $out/replay.txt)" ;;
	*) die $E_APFSIM "$E_ID: apfsim replay $dir failed with exit $rc (log: $out/replay.txt)" ;;
	esac
	revert_entry
	echo "bugzoo: PASS $E_ID: $E_EXPECT ${stop#*: } after $execs execution(s) ($E_STRAT, seeds $E_SEED_A..$E_SEED_B), written to $dir, replay reproduced it"
}

all_entries() {
	local f found=0
	for f in "$ROOT"/tests/bugzoo/[0-9][0-9]-*.patch; do
		[[ -f $f ]] || continue
		echo "$f"
		found=1
	done
	((found)) || die $E_USAGE "no entries in $ROOT/tests/bugzoo/"
}

cmd_baseline() {
	local entries=("$@") f out rc bad=0 first_bad="" n=0
	((${#entries[@]})) || mapfile -t entries < <(all_entries)
	for f in "${entries[@]}"; do parse_entry "$f"; done # every header valid first
	setup
	build_scratch "baseline (unmodified)"
	for f in "${entries[@]}"; do
		parse_entry "$f"
		out=$WORK/baseline/$E_ID
		rm -rf "$out" && mkdir -p "$out" || die $E_SCRATCH "cannot create $out"
		msg "baseline $E_ID: --strategy $E_STRAT --seeds $E_SEED_A..$E_SEED_B $E_ARGS"
		# shellcheck disable=SC2086
		"$APFSIM" run -s "$E_SCEN" --strategy "$E_STRAT" --seeds "$E_SEED_A..$E_SEED_B" \
			--findings "$out/findings" --stop-on-first -q $E_ARGS >"$out/run.txt" 2>&1
		rc=$?
		n=$((n + 1))
		case $rc in
		0) msg "baseline $E_ID: clean ($(summary_value "$out/run.txt" executions) executions)" ;;
		1)
			echo "bugzoo: error: baseline $E_ID: the unmodified code has findings: $(summary_value "$out/run.txt" findings) (dirs: $out/findings)" >&2
			bad=1 ;;
		*)
			echo "bugzoo: error: baseline $E_ID: apfsim run failed with exit $rc (log: $out/run.txt)" >&2
			[[ -n $first_bad ]] || first_bad=$E_APFSIM ;;
		esac
	done
	((bad)) && exit $E_BASELINE
	[[ -z $first_bad ]] || exit "$first_bad"
	echo "bugzoo: PASS baseline: $n campaign(s) clean on the unmodified code"
}

# ---- Benchmark ----

# median of the numbers on stdin ("inf" sorts last); prints "inf" if the median is a miss
median() {
	sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "inf"; exit }
		m = (NR % 2) ? v[(NR + 1) / 2] : ((v[NR / 2] == "inf" || v[NR / 2 + 1] == "inf") ? "inf" : (v[NR / 2] + v[NR / 2 + 1]) / 2)
		print m }'
}

cmd_bench() {
	local runs=20 cap=200 tcap=30 strategies="pct random dfs stress" entries=()
	while (($#)); do
		case $1 in
		--runs) runs=${2:-}; shift 2 || usage ;;
		--cap) cap=${2:-}; shift 2 || usage ;;
		--time-cap) tcap=${2:-}; shift 2 || usage ;;
		--strategies) strategies=${2:-}; shift 2 || usage ;;
		-*) usage ;;
		*) entries+=("$1"); shift ;;
		esac
	done
	[[ $runs =~ ^[1-9][0-9]*$ && $cap =~ ^[1-9][0-9]*$ && $tcap =~ ^[1-9][0-9]*$ ]] ||
		die $E_USAGE "bench: --runs, --cap and --time-cap take positive integers"
	((${#entries[@]})) || mapfile -t entries < <(all_entries)
	local f s i rc t0 t1 execs stop seed out
	for f in "${entries[@]}"; do parse_entry "$f"; done
	setup
	echo "| entry | expect | strategy | found | median executions to detection | median wall s to detection |"
	echo "|---|---|---|---|---|---|"
	for f in "${entries[@]}"; do
		parse_entry "$f"
		if [[ $E_EXPECT == none ]]; then
			echo "| $E_ID | none | - | negative control (nothing to detect) | - | - |"
			continue
		fi
		apply_entry
		build_scratch "$E_ID"
		for s in $strategies; do
			local ex=() wall=() hits=0
			for ((i = 0; i < runs; i++)); do
				seed=$((1000 + i * cap))
				out=$WORK/bench/$E_ID/$s
				rm -rf "$out" && mkdir -p "$out"
				t0=$(date +%s.%N)
				# shellcheck disable=SC2086
				"$APFSIM" run -s "$E_SCEN" --strategy "$s" --seed "$seed" -n "$cap" -t "$tcap" \
					--findings "$out/findings" --stop-on "$E_EXPECT" -q $E_ARGS \
					>"$out/run.txt" 2>&1
				rc=$?
				t1=$(date +%s.%N)
				if ((rc > 1)); then
					die $E_APFSIM "bench $E_ID $s: apfsim run failed with exit $rc (log: $out/run.txt)"
				fi
				stop=$(summary_value "$out/run.txt" "stop on")
				execs=$(summary_value "$out/run.txt" executions)
				execs=${execs%% *}
				if [[ $stop == *"found at seed"* ]]; then
					hits=$((hits + 1))
					ex+=("$execs")
					wall+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')")
				else
					ex+=(inf)
					wall+=(inf)
				fi
			done
			local mex mwall
			mex=$(printf '%s\n' "${ex[@]}" | median)
			mwall=$(printf '%s\n' "${wall[@]}" | median)
			[[ $mex == inf ]] && mex="> $cap"
			[[ $mwall == inf ]] && mwall="> cap"
			[[ $mwall != "> cap" ]] && mwall=$(awk -v v="$mwall" 'BEGIN { printf "%.2f", v }')
			msg "bench $E_ID $s: found in $hits/$runs runs, median $mex executions, $mwall s"
			echo "| $E_ID | $E_EXPECT | $s | $hits/$runs | $mex | $mwall |"
		done
		revert_entry
	done
	echo
	echo "Runs: $runs per cell, run i from seed 1000 + i*$cap; cap: $cap executions or ${tcap} s per run (Release scratch build, 1 job)."
}

cmd_prepare() {
	setup
	build_scratch "unmodified"
	echo "bugzoo: scratch tree ready: $APFSIM"
}

(($# >= 1)) || usage
cmd=$1
shift
case $cmd in
check) cmd_check "$@" ;;
baseline) cmd_baseline "$@" ;;
bench) cmd_bench "$@" ;;
prepare) (($# == 0)) || usage; cmd_prepare ;;
-h | --help | help) usage ;;
*) echo "bugzoo: error: unknown command '$cmd'" >&2; usage ;;
esac
