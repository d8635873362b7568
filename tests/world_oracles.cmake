# Protocol oracles (sim/world/oracle_*.c, docs/oracles.md): each oracle fed
# synthetic probe-event sequences on a fake view (cmocka, no engine run).
if(TARGET sim_world)
  apfsim_cmocka_test(NAME unit_world_oracles
                     SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/world/test_oracles.c
                     LIBS sim_world LABELS "unit;memcheck"
                     INCLUDES ${CMAKE_SOURCE_DIR}/sim/world)
endif()
# Oracle ready-after-np (sim/world/oracle_ready.c): stray page-ready (bug zoo 06).
if(TARGET sim_world)
  apfsim_cmocka_test(NAME unit_world_oracle_ready
                     SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/world/test_oracle_ready.c
                     LIBS sim_world LABELS "unit;memcheck"
                     INCLUDES ${CMAKE_SOURCE_DIR}/sim/world)
endif()
