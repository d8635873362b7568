# Platform tests: unit tests of the GIC, SMCCC conduit, PSCI and guest memory
# (cmocka, no engine run), and scenario tests of the composed platform on the
# engine (Check, fork mode).
if(TARGET sim_platform)
  foreach(module gic smccc psci memory)
    set(source ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_${module}.c)
    if(EXISTS ${source})
      apfsim_cmocka_test(NAME unit_${module} SOURCES ${source}
                         LIBS sim_platform LABELS "unit;memcheck")
    endif()
  endforeach()
endif()

# Scenario tests need the engine (sim_engine with engine.c) and the SDEI
# dispatcher, both linked through sim_platform.
if(TARGET sim_platform)
  foreach(scenario irq memory host)
    set(source ${CMAKE_CURRENT_SOURCE_DIR}/sim/test_platform_${scenario}.c)
    if(EXISTS ${source})
      apfsim_check_test(NAME sim_platform_${scenario} SOURCES ${source}
                        LIBS sim_platform sim_strategies LABELS "sim" TIMEOUT 300)
    endif()
  endforeach()
endif()
