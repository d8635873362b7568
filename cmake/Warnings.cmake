# Strict warnings for every target of the project; builds clean with gcc and clang.
set(APFSIM_WARNINGS
    -Wall -Wextra -Werror
    -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla
    -Wimplicit-fallthrough -Wpointer-arith -Wformat=2 -Wundef
    -Wwrite-strings -Wold-style-definition -Wmissing-declarations
    -Wnull-dereference -Wdouble-promotion)

# Applied per target (not globally) so that CMake's own try_compile checks and
# third-party headers are not affected.
function(apfsim_target_warnings target)
  target_compile_options(${target} PRIVATE ${APFSIM_WARNINGS})
endfunction()
