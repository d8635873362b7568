# Foundation tests: the harness itself.
apfsim_cmocka_test(NAME unit_prng SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_prng.c
                   LIBS sim_engine LABELS "unit;memcheck")

# The memcheck gate really fails on a leak: a planted leak under the
# project's valgrind options must fail, and the clean control must pass.
add_executable(memcheck_probe ${CMAKE_CURRENT_SOURCE_DIR}/support/memcheck_probe.c)
apfsim_target_warnings(memcheck_probe)
if(MEMORYCHECK_COMMAND AND NOT APFSIM_SANITIZE)
  separate_arguments(_apfsim_vg_opts UNIX_COMMAND "${MEMORYCHECK_COMMAND_OPTIONS}")
  add_test(NAME selftest_memcheck_planted_leak
           COMMAND ${MEMORYCHECK_COMMAND} ${_apfsim_vg_opts} $<TARGET_FILE:memcheck_probe> leak)
  set_tests_properties(selftest_memcheck_planted_leak PROPERTIES WILL_FAIL TRUE LABELS selftest)
  add_test(NAME selftest_memcheck_clean_control
           COMMAND ${MEMORYCHECK_COMMAND} ${_apfsim_vg_opts} $<TARGET_FILE:memcheck_probe>)
  set_tests_properties(selftest_memcheck_clean_control PROPERTIES LABELS selftest)
endif()
