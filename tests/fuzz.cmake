# fuzz-smoke: every fuzz target's standalone binary replays its whole seed
# corpus (fuzz/corpus/<name>/), in every build. A property violation aborts
# the binary and fails the test. See docs/fuzzing.md.
get_property(_fuzz_targets GLOBAL PROPERTY APFSIM_FUZZ_TARGETS)
foreach(_name ${_fuzz_targets})
  set(_corpus ${CMAKE_SOURCE_DIR}/fuzz/corpus/${_name})
  if(NOT IS_DIRECTORY ${_corpus})
    message(STATUS "fuzz: no corpus for ${_name}; no fuzz-smoke test")
    continue()
  endif()
  add_test(NAME fuzz_smoke_${_name}
           COMMAND ${APFSIM_TEST_LAUNCHER} $<TARGET_FILE:fuzz_${_name}_replay> ${_corpus})
  set_tests_properties(fuzz_smoke_${_name} PROPERTIES LABELS "fuzz-smoke;memcheck" TIMEOUT 600)
endforeach()
