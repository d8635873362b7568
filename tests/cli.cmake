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

# apfsim fuzz-import (tests/cli/fuzz_import_test.sh): a token_order fuzz input
# turned into a finding directory that replays, exports and shrinks.
if(TARGET apfsim)
  add_test(NAME cli_fuzz_import
           COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/cli/fuzz_import_test.sh $<TARGET_FILE:apfsim>
                   ${CMAKE_CURRENT_BINARY_DIR}/cli-work/fuzz_import ${CMAKE_SOURCE_DIR})
  set_tests_properties(cli_fuzz_import PROPERTIES LABELS "cli;integration" TIMEOUT 120)
endif()
# apfsim run --stop-on CLASS (tests/cli/stop_on_test.sh): usage errors, a
# campaign stopped at the first finding of the class, a class never found.
if(TARGET apfsim)
  add_test(NAME cli_stop_on
           COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/cli/stop_on_test.sh $<TARGET_FILE:apfsim>
                   ${CMAKE_CURRENT_BINARY_DIR}/cli-work/stop_on ${CMAKE_SOURCE_DIR})
  set_tests_properties(cli_stop_on PROPERTIES LABELS "cli;integration" TIMEOUT 120)
endif()
# apfsim run --strategy stress (tests/cli/stress_test.sh): usage errors,
# findings without a schedule, replay refusing them, a clean campaign.
if(TARGET apfsim)
  add_test(NAME cli_stress
           COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/cli/stress_test.sh $<TARGET_FILE:apfsim>
                   ${CMAKE_CURRENT_BINARY_DIR}/cli-work/stress ${CMAKE_SOURCE_DIR})
  set_tests_properties(cli_stress PROPERTIES LABELS "cli;integration" TIMEOUT 120)
endif()
# Determinism of a whole campaign (tests/cli/determinism_test.sh): the
# default scenario's 200 seeds run twice give identical executions.
if(TARGET apfsim)
  add_test(NAME cli_determinism
           COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/cli/determinism_test.sh $<TARGET_FILE:apfsim>
                   ${CMAKE_CURRENT_BINARY_DIR}/cli-work/determinism ${CMAKE_SOURCE_DIR})
  set_tests_properties(cli_determinism PROPERTIES LABELS "cli;integration;determinism" TIMEOUT 300)
endif()
