# SPDX-License-Identifier: MIT
# What `cmake --install BUILD --prefix P` (and `make install PREFIX=P`)
# puts under P, in GNUInstallDirs' places:
#   bin/retort
#   LIBDIR/libretort.so.X.Y.Z, its soname and dev links; LIBDIR/libretort.a
#   include/retort.h, include/retort_version.h
#   LIBDIR/pkgconfig/retort.pc
#   LIBDIR/cmake/retort/  retort-config.cmake, -config-version, -targets
#   share/doc/retort/     README, CHANGELOG, LICENSE, docs/*.md
#   share/retort/         alembic_import.py, python/retort_sqlalchemy/
# (man pages and shell completions are installed where they are built).
include(CMakePackageConfigHelpers)

set(RETORT_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/retort)

install(TARGETS retort RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS retort_shared retort_static EXPORT retort-targets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${PROJECT_SOURCE_DIR}/include/retort.h
  ${RETORT_GENERATED_INCLUDE_DIR}/retort_version.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

# pkg-config modules of the libraries libretort.a needs.
set(RETORT_PC_REQUIRES "sqlite3 inih")
set(RETORT_PC_LIBPQ_NOTE "")
if(RETORT_WITH_POSTGRES)
  string(APPEND RETORT_PC_REQUIRES " libpq")
  set(RETORT_PC_LIBPQ_NOTE " and libpq")
endif()
if(RETORT_WITH_MYSQL)
  string(APPEND RETORT_PC_REQUIRES " libmariadb")
  string(APPEND RETORT_PC_LIBPQ_NOTE " and libmariadb")
endif()

# retort.pc: configured now with a placeholder prefix, which the install
# step replaces with the prefix it installs to (known only then).
set(RETORT_PC_PREFIX "@RETORT_INSTALL_PREFIX@")
foreach(kind LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${kind}}")
    set(RETORT_PC_${kind} "${CMAKE_INSTALL_${kind}}")
  else()
    set(RETORT_PC_${kind} "\${prefix}/${CMAKE_INSTALL_${kind}}")
  endif()
endforeach()
configure_file(cmake/retort.pc.in ${PROJECT_BINARY_DIR}/retort.pc.in @ONLY)
install(CODE "
  file(READ \"${PROJECT_BINARY_DIR}/retort.pc.in\" retort_pc)
  string(REPLACE \"@RETORT_INSTALL_PREFIX@\" \"\${CMAKE_INSTALL_PREFIX}\"
    retort_pc \"\${retort_pc}\")
  file(WRITE \"${PROJECT_BINARY_DIR}/retort.pc\" \"\${retort_pc}\")")
install(FILES ${PROJECT_BINARY_DIR}/retort.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# The CMake package: find_package(retort [0.1]) in a CMake project.
install(EXPORT retort-targets NAMESPACE retort::
  DESTINATION ${RETORT_CMAKE_DIR} FILE retort-targets.cmake)
configure_package_config_file(cmake/retort-config.cmake.in
  ${PROJECT_BINARY_DIR}/retort-config.cmake
  INSTALL_DESTINATION ${RETORT_CMAKE_DIR})
# Before 1.0 a minor version may change the API: 0.1.x satisfies 0.1 only.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/retort-config-version.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/retort-config.cmake
  ${PROJECT_BINARY_DIR}/retort-config-version.cmake
  DESTINATION ${RETORT_CMAKE_DIR})

# Documentation.
file(GLOB RETORT_DOCS ${PROJECT_SOURCE_DIR}/docs/*.md)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/CHANGELOG.md
  ${PROJECT_SOURCE_DIR}/LICENSE ${RETORT_DOCS}
  DESTINATION ${CMAKE_INSTALL_DOCDIR})

# `retort import alembic` runs share/retort/alembic_import.py; the
# retort_sqlalchemy module (schema_command) is in share/retort/python/,
# for PYTHONPATH. Neither is needed unless those are used.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/share/retort
  DESTINATION ${CMAKE_INSTALL_DATADIR}
  PATTERN "__pycache__" EXCLUDE PATTERN "*.pyc" EXCLUDE)
