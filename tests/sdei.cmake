# SDEI dispatcher unit tests (cmocka). The tests include the dispatcher's
# private header for the ABI constants and the state table. unit_sdei and
# unit_sdei_table need no engine run; unit_sdei_engine runs one execution to
# check findings and traces.
foreach(name sdei sdei_table)
  apfsim_cmocka_test(NAME unit_${name} SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_${name}.c
                     LIBS sim_sdei INCLUDES ${CMAKE_SOURCE_DIR}/sim LABELS "unit;memcheck")
endforeach()
if(TARGET sim_strategies)
  apfsim_cmocka_test(NAME unit_sdei_engine
                     SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_sdei_engine.c
                     LIBS sim_sdei sim_strategies INCLUDES ${CMAKE_SOURCE_DIR}/sim
                     LABELS "unit;memcheck")
endif()
