# xenshim tests (docs/xenshim.md):
#   unit_xenshim_page            page geometry, stub bytes, W^X, argument and
#                                result passing through the real stubs
#   unit_xenshim_page_portable   the same source against the portable table
#   unit_xenshim_lcall           register / unregister edge cases
#   unit_xenshim_ops             every modelled op with good and bad arguments
#   unit_xenshim_xen_headers     shim constants vs libxen-dev (skip: 77)
#   sim_xenshim                  concurrent callers on the engine, the planted
#                                RFC race, event channels across vCPUs
if(TARGET xenshim)
  set(XENSHIM_TEST_DIR ${CMAKE_CURRENT_SOURCE_DIR}/xenshim)
  apfsim_cmocka_test(NAME unit_xenshim_page SOURCES ${XENSHIM_TEST_DIR}/test_xenshim_page.c
                     LIBS xenshim LABELS "unit;memcheck")
  apfsim_cmocka_test(NAME unit_xenshim_page_portable
                     SOURCES ${XENSHIM_TEST_DIR}/test_xenshim_page.c
                     LIBS xenshim_portable LABELS "unit;memcheck")
  target_compile_definitions(unit_xenshim_page_portable PRIVATE XENSHIM_FORCE_PORTABLE)
  apfsim_cmocka_test(NAME unit_xenshim_lcall SOURCES ${XENSHIM_TEST_DIR}/test_xenshim_lcall.c
                     LIBS xenshim LABELS "unit;memcheck")
  apfsim_cmocka_test(NAME unit_xenshim_ops SOURCES ${XENSHIM_TEST_DIR}/test_xenshim_ops.c
                     LIBS xenshim LABELS "unit;memcheck")
  apfsim_cmocka_test(NAME unit_xenshim_xen_headers
                     SOURCES ${XENSHIM_TEST_DIR}/test_xenshim_xen_headers.c
                     LIBS xenshim_kernel LABELS "unit;memcheck")
  if(NOT EXISTS /usr/include/xen/xen.h)
    message(STATUS "xenshim: libxen-dev headers not found; unit_xenshim_xen_headers skips")
    target_compile_definitions(unit_xenshim_xen_headers PRIVATE XENSHIM_XEN_HEADERS_MISSING)
  endif()
  set_tests_properties(unit_xenshim_xen_headers PROPERTIES SKIP_RETURN_CODE 77)
  if(TARGET sim_strategies)
    apfsim_check_test(NAME sim_xenshim SOURCES ${XENSHIM_TEST_DIR}/test_xenshim_sim.c
                      LIBS xenshim sim_strategies LABELS "sim;memcheck;determinism" TIMEOUT 600)
  endif()
endif()
