# SPDX-License-Identifier: MIT
# Third-party libraries, found through pkg-config (Debian's -dev packages).
# scripts/install-deps.sh installs them when they are missing.
find_package(PkgConfig REQUIRED)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(INIH REQUIRED IMPORTED_TARGET inih)
if(RETORT_WITH_POSTGRES)
  pkg_check_modules(LIBPQ IMPORTED_TARGET libpq)
  if(NOT LIBPQ_FOUND)
    message(STATUS "libpq not found: building without the PostgreSQL driver")
    set(RETORT_WITH_POSTGRES OFF)
  endif()
endif()
if(RETORT_BUILD_TESTS)
  pkg_check_modules(CRITERION IMPORTED_TARGET criterion)
endif()
