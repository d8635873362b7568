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
