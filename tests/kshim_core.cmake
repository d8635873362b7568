# Tests of the kernel-core half of kshim (workqueues, boot, CPU hotplug,
# reboot notifiers, kernel data reset). tests/kshim/core_kernel*.c form a
# kernel half built with kshim_kernel_library().
if(TARGET kshim)
  # The lead includes KernelLibrary.cmake from sim/kshim/CMakeLists.txt;
  # include_guard makes this a no-op then.
  include(${CMAKE_SOURCE_DIR}/sim/kshim/KernelLibrary.cmake)
  kshim_kernel_library(NAME kshim_core_test_kernel
                       SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/kshim/core_kernel.c
                               ${CMAKE_CURRENT_SOURCE_DIR}/kshim/core_kernel2.c
                       INCLUDES ${CMAKE_CURRENT_SOURCE_DIR}/kshim)

  apfsim_cmocka_test(NAME unit_kshim_core_pure
                     SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/kshim/core_pure.c
                     LIBS kshim LABELS "unit;memcheck")
  if(TARGET sim_strategies)
    apfsim_check_test(NAME sim_kshim_core
                      SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/kshim/core_sim.c
                      LIBS kshim_core_test_kernel kshim sim_strategies
                      LABELS "sim;memcheck;freerun" TIMEOUT 600)
    # Where the kernel data landed: the test kernel's statics inside
    # [__start_kshim_kdata, __stop_kshim_kdata), coverage and sanitizer
    # state outside (checked in whatever build this is: gcov, ASan, TSan).
    add_test(NAME unit_kshim_core_kdata_layout
             COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/kshim/core_kdata_layout.sh
                     ${CMAKE_NM} $<TARGET_FILE:sim_kshim_core>)
    set_tests_properties(unit_kshim_core_kdata_layout PROPERTIES LABELS "unit" TIMEOUT 60)
  endif()
endif()
