# apfsim CLI tests (tests/cli/cli_test.sh): usage errors and exit codes, a
# clean smoke campaign, a finding replayed, exported and shrunk, --jobs 1 vs
# 2 summaries, --shard coverage, kill -9 during a campaign, a worker crash
# (APFSIM_TEST_CRASH_SEED). docs/usage.md.
if(TARGET apfsim)
  foreach(_case usage smoke finding jobs shard kill crash)
    add_test(NAME cli_${_case}
             COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/cli/cli_test.sh ${_case} $<TARGET_FILE:apfsim>
                     ${CMAKE_CURRENT_BINARY_DIR}/cli-work/${_case} ${CMAKE_SOURCE_DIR})
    set_tests_properties(cli_${_case} PROPERTIES LABELS "cli;integration" TIMEOUT 120)
  endforeach()
endif()

# One script per test: tests/cli/<script>_test.sh APFSIM WORKDIR SOURCE_DIR.
#   fuzz_import  a token_order fuzz input turned into a finding directory that
#                replays, exports and shrinks (apfsim fuzz-import);
#   stop_on      run --stop-on CLASS: usage errors, a campaign stopped at the
#                first finding of the class, a class never found;
#   stress       run --strategy stress: usage errors, findings without a
#                schedule, replay refusing them, a clean campaign;
#   determinism  the default scenario's 200 seeds run twice give identical
#                executions; run --check-determinism, clean and planted.
function(apfsim_cli_script_test script labels timeout)
  add_test(NAME cli_${script}
           COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/cli/${script}_test.sh $<TARGET_FILE:apfsim>
                   ${CMAKE_CURRENT_BINARY_DIR}/cli-work/${script} ${CMAKE_SOURCE_DIR})
  set_tests_properties(cli_${script} PROPERTIES LABELS "${labels}" TIMEOUT ${timeout})
endfunction()
if(TARGET apfsim)
  apfsim_cli_script_test(fuzz_import "cli;integration" 120)
  apfsim_cli_script_test(stop_on "cli;integration" 120)
  apfsim_cli_script_test(stress "cli;integration" 120)
  apfsim_cli_script_test(determinism "cli;integration;determinism" 300)
endif()
