#!/bin/sh
# SPDX-License-Identifier: MIT
# Tests of the apfsim CLI, one case per ctest test:
#   sh cli_test.sh CASE APFSIM WORKDIR SRCDIR
# Each case prints what it checks and exits non-zero on the first failure.
set -u

CASE=$1
APFSIM=$2
WORK=$3
SRC=$4
STEP_BOUND=$SRC/tests/cli/step-bound.json

EXPECT_SPLIT=1
. "$SRC/tests/cli/expect.sh"

# A finding directory is complete: every file, and it replays.
check_finding_dir() {
	d=$1
	for f in finding.txt schedule.txt scenario.json trace.txt trace.json replay.sh; do
		[ -s "$d/$f" ] || fail "$d/$f missing or empty"
	done
	grep -q '^replay: ' "$d/finding.txt" || fail "$d/finding.txt is cut short"
}

rm -rf "$WORK"
mkdir -p "$WORK" || fail "cannot create $WORK"
cd "$WORK" || fail "cannot enter $WORK"

case $CASE in
usage)
	expect 0 "$APFSIM" --help
	for c in run replay shrink export scenarios show oracles; do
		expect 0 "$APFSIM" $c --help
	done
	expect_usage "unknown command" "$APFSIM" frobnicate
	expect_usage "--jobs" "$APFSIM" run --jobs 0
	expect_usage "--jobs" "$APFSIM" run --jobs 65
	expect_usage "--jobs" "$APFSIM" run --jobs two
	expect_usage "--executions" "$APFSIM" run -n 0
	expect_usage "--executions" "$APFSIM" run -n -3
	expect_usage "--time" "$APFSIM" run --time 0
	expect_usage "--time" "$APFSIM" run --time soon
	expect_usage "--strategy" "$APFSIM" run --strategy fastest
	expect_usage "--pct-depth" "$APFSIM" run --pct-depth 0
	expect_usage "--shard" "$APFSIM" run --shard 0/2
	expect_usage "--shard" "$APFSIM" run --shard 3/2
	expect_usage "--shard" "$APFSIM" run --shard half
	expect_usage "--seeds" "$APFSIM" run --seeds 5..1
	expect_usage "--seeds" "$APFSIM" run --seeds 1..
	expect_usage "--seed" "$APFSIM" run --seed x1
	expect_usage "--seeds" "$APFSIM" run --seed 1 --seeds 1..2
	expect_usage "dfs" "$APFSIM" run --strategy dfs --jobs 2
	expect_usage "unknown option" "$APFSIM" run --bogus
	expect_usage "needs a value" "$APFSIM" run --jobs
	expect_usage "unexpected argument" "$APFSIM" run extra
	expect_usage "no-such-scenario" "$APFSIM" run -s no-such-scenario
	printf '{ "name": "broken", "vcpus": 0 }' > broken.json
	expect_usage "vcpus" "$APFSIM" run -s broken.json
	printf '{ "name": ' > truncated.json
	expect_usage "truncated.json" "$APFSIM" run -s truncated.json
	expect_usage "finding DIR" "$APFSIM" replay
	expect_usage "finding.txt" "$APFSIM" replay no-such-dir
	expect_usage "--schedule" "$APFSIM" replay --scenario smoke --seed 1 --schedule apfs1-zz-00000000
	expect_usage "wrong prefix" "$APFSIM" replay --scenario smoke --seed 1 --schedule apfsX
	expect_usage "--scenario" "$APFSIM" replay --scenario smoke --seed 1
	expect_usage "finding DIR" "$APFSIM" shrink
	expect_usage "--attempts" "$APFSIM" shrink --attempts 0 somewhere
	expect_usage "finding DIR" "$APFSIM" export
	expect_usage "missing argument" "$APFSIM" show
	expect_usage "no-such-scenario" "$APFSIM" show no-such-scenario
	expect_usage "unexpected argument" "$APFSIM" scenarios extra
	;;
smoke)
	expect 0 "$APFSIM" scenarios
	grep -q '^default ' out.txt || fail "scenarios does not list default"
	grep -q '^smoke ' out.txt || fail "scenarios does not list smoke"
	expect 0 "$APFSIM" show smoke
	python3 -c 'import json,sys; json.load(open(sys.argv[1]))' out.txt || fail "show is not JSON"
	cp out.txt shown.json
	expect 0 "$APFSIM" show shown.json
	cmp -s out.txt shown.json || fail "show of the shown JSON differs"
	expect 0 "$APFSIM" oracles
	expect 0 "$APFSIM" run -s smoke -o findings
	grep -q '^  executions  *20$' out.txt || fail "smoke did not run 20 executions"
	for line in "schedule points" "faults" "guest table max" "exhaustion hits" \
		"events fired" "findings  *0 in 0" "wall time"; do
		grep -q "$line" out.txt || fail "summary lacks '$line'"
	done
	;;
finding)
	# every execution of step-bound.json ends with a step-bound finding
	expect 1 "$APFSIM" run -s "$STEP_BOUND" -n 3 -o findings
	n=$(ls findings | grep -c '^step-bound-seed')
	[ "$n" = 3 ] || fail "expected 3 finding directories, got $n"
	for d in findings/step-bound-seed*; do
		check_finding_dir "$d"
	done
	d=findings/step-bound-seed2
	grep -q '^class: step-bound$' $d/finding.txt || fail "class line"
	grep -q '^seed: 2$' $d/finding.txt || fail "seed line"
	expect 1 "$APFSIM" replay $d --trace full.txt --perfetto full.json
	grep -q '^reproduced: step-bound$' out.txt || fail "replay did not say reproduced"
	[ -s full.txt ] || fail "--trace wrote nothing"
	python3 -c 'import json,sys; json.load(open(sys.argv[1]))' full.json || fail "--perfetto is not JSON"
	expect 1 sh $d/replay.sh -q
	# the equivalent command spelled out in replay.sh
	sched=$(grep -o 'apfs1-[0-9a-z-]*' $d/schedule.txt | head -1)
	[ -n "$sched" ] || fail "no schedule string"
	expect 1 "$APFSIM" replay --scenario $d/scenario.json --seed 2 --schedule "$sched"
	expect 1 "$APFSIM" replay --scenario $d/scenario.json --seed 2 --schedule $d/schedule.txt
	# a wrong seed replays differently: the schedule diverges, not reproduced
	expect 0 "$APFSIM" replay --scenario $d/scenario.json --seed 3 --schedule $d/schedule.txt --class no-such-class
	# export
	expect 0 "$APFSIM" export $d -o export.json
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d' export.json || fail "export is not JSON"
	expect 0 "$APFSIM" export $d --text -o export.txt
	cmp -s export.txt full.txt || fail "export --text differs from replay --trace"
	# shrink: same class, no longer
	expect 1 "$APFSIM" shrink $d -o shrunk --attempts 60 -q
	s=$(ls -d shrunk/step-bound-seed2*)
	check_finding_dir "$s"
	grep -q '^class: step-bound$' "$s/finding.txt" || fail "shrunk class differs"
	before=$(sed -n 's/^# decisions: //p' $d/schedule.txt)
	after=$(sed -n 's/^# decisions: //p' "$s/schedule.txt")
	echo "decisions: $before -> $after"
	[ "$after" -le "$before" ] || fail "shrink made the schedule longer ($before -> $after)"
	expect 1 "$APFSIM" replay "$s"
	grep -q '^reproduced: step-bound$' out.txt || fail "shrunk finding does not reproduce"
	;;
jobs)
	expect 1 "$APFSIM" run -s "$STEP_BOUND" --seeds 1..8 -q -o f1 --jobs 1
	sed -n '/^summary/,$p' out.txt | grep -v -e 'wall time' -e 'finding directories' > s1.txt
	expect 0 "$APFSIM" run -s smoke --seeds 1..12 -q -o f1 --jobs 1
	sed -n '/^summary/,$p' out.txt | grep -v -e 'wall time' -e 'finding directories' >> s1.txt
	expect 1 "$APFSIM" run -s "$STEP_BOUND" --seeds 1..8 -q -o f2 --jobs 2
	sed -n '/^summary/,$p' out.txt | grep -v -e 'wall time' -e 'finding directories' > s2.txt
	expect 0 "$APFSIM" run -s smoke --seeds 1..12 -q -o f2 --jobs 2
	sed -n '/^summary/,$p' out.txt | grep -v -e 'wall time' -e 'finding directories' >> s2.txt
	diff s1.txt s2.txt || fail "--jobs 1 and --jobs 2 summaries differ"
	[ "$(ls f1 | sort)" = "$(ls f2 | sort)" ] || fail "--jobs 1 and 2 wrote different findings"
	;;
shard)
	: > seen.txt
	total=0
	for k in 1 2 3; do
		expect 1 "$APFSIM" run -s "$STEP_BOUND" --seeds 5..14 --shard $k/3 -v -o f
		sed -n 's/^seed \([0-9]*\):.*/\1/p' out.txt >> seen.txt
		n=$(sed -n 's/^  executions  *\([0-9]*\).*/\1/p' out.txt)
		total=$((total + n))
	done
	[ "$total" = 10 ] || fail "shards ran $total executions, not 10"
	[ "$(sort -n seen.txt | tr '\n' ' ')" = "5 6 7 8 9 10 11 12 13 14 " ] ||
		fail "the shards' seeds are not 5..14 once each: $(sort -n seen.txt | tr '\n' ' ')"
	[ "$(ls f | grep -c '^step-bound-seed')" = 10 ] || fail "shards wrote other than 10 findings"
	;;
kill)
	for jobs in 1 2; do
		rm -rf f k.out
		"$APFSIM" run -s "$STEP_BOUND" -n 1000000 -o f --jobs $jobs > k.out 2>/dev/null &
		pid=$!
		i=0
		# wait (bounded) for the first finding line, then kill -9 at once
		while ! grep -q '^         -> ' k.out 2>/dev/null; do
			i=$((i + 1))
			[ $i -le 600 ] || { kill -9 $pid; fail "no finding reported"; }
			sleep 0.05
		done
		kill -9 $pid
		wait $pid 2>/dev/null
		reported=$(sed -n 's/^         -> \([^ ]*\) .*/\1/p' k.out)
		[ -n "$reported" ] || fail "nothing reported"
		for d in $reported; do
			check_finding_dir "$d"
		done
		# every non-.tmp directory is a complete finding
		for d in f/*; do
			check_finding_dir "$d"
		done
		first=$(echo "$reported" | head -1)
		expect 1 "$APFSIM" replay -q "$first"
		echo "jobs $jobs: $(echo "$reported" | wc -l) reported, $(ls f | wc -l) written, $(ls -a f | grep -c '^\.tmp-') .tmp left"
		# leftovers of the dead campaign are removed by the next run
		mkdir -p "f/.tmp-$pid-abcdef"
		expect 1 "$APFSIM" run -s "$STEP_BOUND" -n 1 -q -o f
		# (only this one is sure to be dead and reaped: workers' .tmp- directories
		# are removed once their zombies are gone, and are never findings)
		[ ! -e "f/.tmp-$pid-abcdef" ] || fail ".tmp- directory of a dead process left"
	done
	;;
crash)
	# a worker that dies during an execution: a crash finding, the campaign goes on
	for jobs in 1 2; do
		rm -rf f
		expect 1 env APFSIM_TEST_CRASH_SEED=3 "$APFSIM" run -s smoke --seeds 1..6 -o f --jobs $jobs
		grep -q '^  executions  *6$' out.txt || fail "jobs $jobs: not 6 executions"
		grep -q 'crash 1 (first seed 3)' out.txt || fail "jobs $jobs: no crash finding"
		[ "$(ls f)" = "crash-seed3" ] || fail "jobs $jobs: finding directories: $(ls f)"
		grep -q '^seed: 3$' f/crash-seed3/finding.txt || fail "crash seed"
		[ -x f/crash-seed3/replay.sh ] || fail "crash replay.sh"
		expect 2 "$APFSIM" replay f/crash-seed3
		grep -q 'crash finding' err.txt || fail "replay of a crash does not say why"
	done
	# its replay.sh re-runs the seed (it does not crash without the test variable)
	expect 0 sh f/crash-seed3/replay.sh -q
	grep -q '^  executions  *1$' out.txt || fail "replay.sh did not run one execution"
	;;
*)
	fail "unknown case $CASE"
	;;
esac
echo "PASS: $CASE"
