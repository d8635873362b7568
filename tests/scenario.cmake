# Scenario files (apfsim/scenario.c): every built-in parses and round-trips,
# defaults, ~80 bad inputs each naming its field, file errors. Pure parser,
# no engine run (cmocka).
if(TARGET apfsim_scenario)
  apfsim_cmocka_test(NAME unit_scenario
                     SOURCES ${CMAKE_SOURCE_DIR}/tests/scenario/test_scenario.c
                     LIBS apfsim_scenario LABELS "unit;memcheck" TIMEOUT 120)
endif()
if(TARGET unit_scenario)
  # The test also parses the JSON examples of docs/scenario-format.md.
  target_compile_definitions(unit_scenario PRIVATE APFSIM_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
endif()
