# Sanitizer, coverage and fuzzing instrumentation, chosen by cache options.
# Assertions are never disabled: NDEBUG is removed from every build type.
foreach(cfg CMAKE_C_FLAGS_RELEASE CMAKE_C_FLAGS_RELWITHDEBINFO CMAKE_C_FLAGS_MINSIZEREL)
  string(REPLACE "-DNDEBUG" "" ${cfg} "${${cfg}}")
  set(${cfg} "${${cfg}}" CACHE STRING "" FORCE)
endforeach()

if(APFSIM_SANITIZE)
  add_compile_options(-fsanitize=${APFSIM_SANITIZE} -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${APFSIM_SANITIZE})
endif()

if(APFSIM_COVERAGE)
  if(NOT CMAKE_C_COMPILER_ID STREQUAL "GNU")
    message(FATAL_ERROR "APFSIM_COVERAGE needs gcc (gcov/lcov)")
  endif()
  add_compile_options(--coverage -O0 -g)
  add_link_options(--coverage)
endif()

if(APFSIM_FUZZ)
  if(NOT CMAKE_C_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "APFSIM_FUZZ needs clang (libFuzzer)")
  endif()
  # Libraries get coverage instrumentation only; the harnesses link the
  # fuzzer runtime themselves (-fsanitize=fuzzer in global flags would break
  # CMake's try_compile).
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

# TSan cannot start at vm.mmap_rnd_bits > 28 (see docs/testing.md); tests of a
# TSan build run with ASLR off for that process only.
set(APFSIM_TEST_LAUNCHER "")
if(APFSIM_SANITIZE MATCHES "thread")
  find_program(SETARCH setarch REQUIRED)
  set(APFSIM_TEST_LAUNCHER ${SETARCH} ${CMAKE_SYSTEM_PROCESSOR} -R)
endif()
