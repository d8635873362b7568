# Helpers to declare tests. Unit tests use cmocka; scenario tests that may
# abort or hang use Check in fork mode (each test in its own process, with a
# timeout).
#
#   apfsim_cmocka_test(NAME name SOURCES a.c b.c LIBS sim LABELS unit [TIMEOUT s])
#   apfsim_check_test(NAME name SOURCES a.c LIBS sim LABELS sim [TIMEOUT s])
function(_apfsim_test kind)
  cmake_parse_arguments(T "" "NAME;TIMEOUT" "SOURCES;LIBS;LABELS;ENV;INCLUDES" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  apfsim_target_warnings(${T_NAME})
  target_include_directories(${T_NAME} PRIVATE ${CMAKE_SOURCE_DIR}/tests/include ${T_INCLUDES})
  if(kind STREQUAL "cmocka")
    target_link_libraries(${T_NAME} PRIVATE ${T_LIBS} PkgConfig::CMOCKA Threads::Threads)
  else()
    target_link_libraries(${T_NAME} PRIVATE ${T_LIBS} check_support PkgConfig::CHECK Threads::Threads)
  endif()
  add_test(NAME ${T_NAME} COMMAND ${APFSIM_TEST_LAUNCHER} $<TARGET_FILE:${T_NAME}>)
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  set_tests_properties(${T_NAME} PROPERTIES LABELS "${T_LABELS}" TIMEOUT ${T_TIMEOUT})
  if(T_ENV)
    set_tests_properties(${T_NAME} PROPERTIES ENVIRONMENT "${T_ENV}")
  endif()
endfunction()

function(apfsim_cmocka_test)
  _apfsim_test(cmocka ${ARGN})
endfunction()

function(apfsim_check_test)
  _apfsim_test(check ${ARGN})
endfunction()
