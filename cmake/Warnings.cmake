# SPDX-License-Identifier: MIT
# Compiler warnings for every target: -Wall -Wextra and the stricter checks
# that catch real bugs in C code. RETORT_WERROR turns them into errors (CI).
set(RETORT_WARNINGS
  -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
  -Wpointer-arith -Wformat=2 -Wformat-security -Wcast-qual -Wwrite-strings
  -Wundef -Wvla -Wnull-dereference -Wdouble-promotion -Wimplicit-fallthrough
  -Wno-unused-parameter)
if(RETORT_WERROR)
  list(APPEND RETORT_WARNINGS -Werror)
endif()
add_compile_options(${RETORT_WARNINGS})
