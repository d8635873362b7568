# kshim bound to the simulated platform (sim/kshim/{platform,irq,sdei,smccc}.c):
# Check scenarios on the engine with the platform attached. See docs/kshim.md.
if(TARGET kshim AND TARGET sim_strategies)
  set(KSHIM_PLATFORM_TEST_DIR ${CMAKE_CURRENT_SOURCE_DIR}/kshim)
  apfsim_check_test(NAME sim_kshim_platform_irq
                    SOURCES ${KSHIM_PLATFORM_TEST_DIR}/platform_irq.c
                            ${KSHIM_PLATFORM_TEST_DIR}/platform_support.c
                    LIBS kshim sim_strategies LABELS "sim;memcheck" TIMEOUT 300)
  apfsim_check_test(NAME sim_kshim_platform_sdei
                    SOURCES ${KSHIM_PLATFORM_TEST_DIR}/platform_sdei.c
                            ${KSHIM_PLATFORM_TEST_DIR}/platform_support.c
                    LIBS kshim sim_strategies LABELS "sim;memcheck" TIMEOUT 300)
endif()
